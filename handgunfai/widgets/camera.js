// The browser half of handgunfai.widgets.camera.BrowserCamera (an anywidget ES module).
// Two loops: every camera frame is painted on the view canvas with the newest drawing the kernel sent (boxes, labels,
// banner), while the newest frame goes to the kernel as a JPEG only once the last one was acknowledged: the detector
// works on the freshest frame whenever it is free, nothing queues, and what is shown never waits for the detector.
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

const WINDOW_MS = 2000;                     // the readout's rates and the boxes' age are over the last 2 seconds
const newestView = new Map();              // widget uid -> its newest view (this module is shared by all views in a page)

// Paint one drawing ({boxes, labels, red, banner}, in the sent frame's pixels) over the frame on `ctx`, like draw_frame in Python.
function paintDrawing(ctx, drawing, width) {
  const { boxes = [], labels = [], red = [], banner = '' } = drawing || {};
  ctx.font = '14px sans-serif';
  ctx.lineJoin = 'round';
  boxes.forEach(([x1, y1, x2, y2], i) => {
    ctx.strokeStyle = red[i] ? 'rgb(255,0,0)' : 'rgb(255,165,0)';
    ctx.lineWidth = red[i] ? 3 : 1;
    ctx.strokeRect(x1, y1, x2 - x1, y2 - y1);
    if (labels[i]) {
      ctx.lineWidth = 3; ctx.strokeStyle = 'black'; ctx.strokeText(labels[i], x1, Math.max(12, y1 - 4));
      ctx.fillStyle = 'white'; ctx.fillText(labels[i], x1, Math.max(12, y1 - 4));
    }
  });
  if (banner) {
    ctx.fillStyle = 'rgb(255,0,0)'; ctx.fillRect(0, 0, width, 30);
    ctx.font = 'bold 16px sans-serif'; ctx.fillStyle = 'white'; ctx.fillText(banner, 8, 21);
  }
}

export default {
  render({ model, el }) {
    const video = Object.assign(document.createElement('video'), { muted: true, playsInline: true, autoplay: true });
    video.className = 'handgunfai-camera-source';        // the stream itself stays out of sight: the view shows it
    const view = document.createElement('canvas');
    view.className = 'handgunfai-camera-view';
    view.hidden = true;                                  // until the first frame; after Stop it keeps the last one
    const grab = document.createElement('canvas');       // the frame sent to the kernel, never shown
    const status = document.createElement('div');
    status.className = 'handgunfai-camera-status';
    el.classList.add('handgunfai-camera');
    el.append(video, view, status);
    let stream = null, waiting = false, rtt = 0, generation = 0, drawing = null, drawnAt = 0, painting = false;
    let sent = 0, pending = null;            // the frame the kernel has: its id and when it was captured
    let painted = [];                       // [time, age of the boxes on it] of the frames shown in the last WINDOW_MS
    const me = {}, uid = model.get('_uid');
    newestView.set(uid, me);                // the widget shown twice: only its newest view opens the camera
    const owner = () => newestView.get(uid) === me;

    const report = (state, message) => {
      status.textContent = message;
      status.dataset.state = state;
      model.send({ type: 'status', state, message });
    };
    const frameSize = () => {
      const scale = Math.min(1, model.get('max_width') / video.videoWidth);
      return [Math.round(video.videoWidth * scale), Math.round(video.videoHeight * scale)];
    };
    const stats = () => {                   // what the readout needs: shown frames per second, the boxes' mean age
      const now = performance.now();
      painted = painted.filter(([t]) => now - t <= WINDOW_MS);
      const n = painted.length, span = n > 1 ? (painted[n - 1][0] - painted[0][0]) / 1000 : 0;
      return { shown: span > 0 ? (n - 1) / span : 0, age: n ? painted.reduce((s, [, a]) => s + a, 0) / n / 1000 : 0 };
    };
    const paint = () => {                   // one camera frame on the view, with the newest drawing
      if (!stream || !video.videoWidth) return;
      const [w, h] = frameSize();
      if (view.width !== w || view.height !== h) { view.width = w; view.height = h; view.style.maxWidth = `${model.get('max_width')}px`; }
      view.hidden = false;
      const ctx = view.getContext('2d');
      ctx.drawImage(video, 0, 0, w, h);
      if (drawing) paintDrawing(ctx, drawing, w);
      const now = performance.now();
      painted.push([now, drawing ? now - drawnAt : 0]);
    };
    const paintEveryFrame = (gen) => {      // once per new camera frame (requestVideoFrameCallback), else once per screen refresh
      const next = () => {
        if (!painting || gen !== generation) return;       // a loop of an earlier Start ends here: frames are counted once
        paint();
        if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(next); else requestAnimationFrame(next);
      };
      next();
    };
    const sendFrame = () => {
      if (!stream || waiting) return;
      if (video.readyState < 2 || !video.videoWidth) { setTimeout(sendFrame, 30); return; }
      [grab.width, grab.height] = frameSize();
      grab.getContext('2d').drawImage(video, 0, 0, grab.width, grab.height);
      const capturedAt = performance.now();
      waiting = true;
      const gen = generation;
      grab.toBlob(async (blob) => {
        if (!blob || gen !== generation) { waiting = false; return; }
        const buffer = await blob.arrayBuffer();
        if (gen !== generation) { waiting = false; return; }
        pending = { id: ++sent, capturedAt };
        model.send({ type: 'frame', id: pending.id, rtt, ...stats() }, undefined, [buffer]);
      }, 'image/jpeg', model.get('quality'));
    };
    const stop = () => {
      generation++;
      const wasOn = stream !== null;
      if (stream) stream.getTracks().forEach((t) => t.stop());
      stream = null; video.srcObject = null; waiting = false; pending = null; painting = false; drawing = null; painted = [];
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
      waiting = false; painting = true;
      report('streaming', 'Camera on.');
      paintEveryFrame(gen);
      sendFrame();
    };
    model.on('msg:custom', (msg) => {       // the kernel's answer to the pending frame: its drawing, then the next frame
      if (msg.type !== 'ack' || !pending || msg.id !== pending.id) return;
      rtt = (performance.now() - pending.capturedAt) / 1000;
      if (msg.drawing) { drawing = msg.drawing; drawnAt = pending.capturedAt; }
      pending = null; waiting = false;
      sendFrame();
    });
    model.on('change:running', () => (model.get('running') ? start() : stop()));
    if (model.get('running')) start();
    return () => {
      generation++; painting = false;
      if (stream) stream.getTracks().forEach((t) => t.stop());
      stream = null;
      if (owner()) newestView.delete(uid);
    };
  },
};
