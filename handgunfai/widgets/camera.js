// The browser half of handgunfai.widgets.camera.BrowserCamera (an anywidget ES module): getUserMedia -> canvas -> JPEG -> kernel, one frame per acknowledgement.
function describe(err) {
  const name = (err && err.name) || 'Error';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError')
    return ['denied', 'Camera permission denied: allow the camera for this page (the camera icon in the address bar), then press Start again.'];
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError')
    return ['no-camera', 'No camera found: connect one (or pick the video file source), then press Start again.'];
  if (name === 'NotReadableError' || name === 'TrackStartError')
    return ['busy', 'The camera is busy or failed to start: close other programs using it, then press Start again.'];
  return ['error', `The camera did not start (${name}: ${(err && err.message) || ''}).`];
}

const newestView = new Map();              // widget uid -> its newest view (this module is shared by all views in a page)

export default {
  render({ model, el }) {
    const video = Object.assign(document.createElement('video'), { muted: true, playsInline: true, autoplay: true });
    video.className = 'handgunfai-camera-preview';
    const canvas = document.createElement('canvas');
    const status = document.createElement('div');
    status.className = 'handgunfai-camera-status';
    el.classList.add('handgunfai-camera');
    el.append(video, status);
    let stream = null, waiting = false, sentAt = 0, rtt = 0, generation = 0;
    const view = {}, uid = model.get('_uid');
    newestView.set(uid, view);              // the widget shown twice: only its newest view opens the camera
    const owner = () => newestView.get(uid) === view;

    const report = (state, message) => {
      status.textContent = message;
      status.dataset.state = state;
      model.send({ type: 'status', state, message });
    };
    const sendFrame = () => {
      if (!stream || waiting) return;
      if (video.readyState < 2 || !video.videoWidth) { setTimeout(sendFrame, 30); return; }
      const scale = Math.min(1, model.get('max_width') / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      canvas.getContext('2d').drawImage(video, 0, 0, canvas.width, canvas.height);
      waiting = true;
      const gen = generation;
      canvas.toBlob(async (blob) => {
        if (!blob || gen !== generation) { waiting = false; return; }
        const buffer = await blob.arrayBuffer();
        if (gen !== generation) { waiting = false; return; }
        sentAt = performance.now();
        model.send({ type: 'frame', rtt }, undefined, [buffer]);
      }, 'image/jpeg', model.get('quality'));
    };
    const stop = () => {
      generation++;
      const wasOn = stream !== null;
      if (stream) stream.getTracks().forEach((t) => t.stop());
      stream = null; video.srcObject = null; waiting = false;
      if (wasOn) report('stopped', 'Camera off.');
    };
    const start = async () => {
      if (stream) return;
      if (!owner()) { status.textContent = 'The camera runs in the newest view of this widget (further down).'; return; }
      const gen = ++generation;
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        report('unsupported', 'This page gets no camera from the browser: open the notebook over https or on localhost.');
        return;
      }
      report('starting', 'Asking for the camera...');
      let s;
      try {
        s = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: model.get('max_width') } }, audio: false });
      } catch (err) {
        if (gen === generation) { const [state, message] = describe(err); report(state, message); }
        return;
      }
      if (gen !== generation) { s.getTracks().forEach((t) => t.stop()); return; }   // stopped while asking
      stream = s;
      video.srcObject = s;
      try { await video.play(); } catch (err) { /* autoplay of a muted video is allowed; frames flow regardless */ }
      waiting = false;
      report('streaming', 'Camera on.');
      sendFrame();
    };
    model.on('msg:custom', (msg) => {
      if (msg.type !== 'ack') return;
      rtt = (performance.now() - sentAt) / 1000;
      waiting = false;
      sendFrame();
    });
    model.on('change:running', () => (model.get('running') ? start() : stop()));
    if (model.get('running')) start();
    return () => {
      generation++;
      if (stream) stream.getTracks().forEach((t) => t.stop());
      stream = null;
      if (owner()) newestView.delete(uid);
    };
  },
};
