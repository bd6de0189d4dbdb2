// The customer's upload page (凭证上传). Plain ES5 and XMLHttpRequest so that it runs in
// the in-app browsers of WeChat, 淘宝 and 京东: files go one at a time (slow
// connections), large photos are shrunk on a canvas first, each file shows its
// progress, large files go in pieces and continue from where a broken connection left
// them, a failed upload is retried (automatically, then by a button), and the page
// says clearly when everything is sent.
(function () {
  'use strict';
  var main = document.getElementById('main');
  if (!main || !main.getAttribute('data-token')) { return; }
  var base = '/u/' + main.getAttribute('data-token');
  var COMPRESS_OVER = 1.5 * 1024 * 1024; // bytes: larger photos are shrunk
  var MAX_EDGE = 2048;                   // pixels of the longer side after shrinking
  var QUALITY = 0.82;
  var WAITS = [2, 5, 10];                // seconds before the automatic retries
  var RESUMABLE_OVER = 4 * 1024 * 1024;  // bytes: larger files go in pieces
  var PIECE = 2 * 1024 * 1024;           // bytes per piece
  var list = document.getElementById('files');
  var done = document.getElementById('done');
  var queue = [];
  var busy = false;
  var sent = 0;
  var failed = 0;

  var inputs = document.querySelectorAll('input[type=file][data-kind]');
  for (var i = 0; i < inputs.length; i++) { inputs[i].addEventListener('change', pick); }

  function pick(e) {
    var input = e.target;
    var kind = input.getAttribute('data-kind');
    for (var j = 0; j < input.files.length; j++) { add(input.files[j], kind); }
    input.value = '';
    done.hidden = true;
    next();
  }

  function add(file, kind) {
    var li = document.createElement('li');
    var name = document.createElement('div');
    name.textContent = file.name || '文件';
    var bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    var msg = document.createElement('div');
    msg.className = 'msg';
    li.appendChild(name);
    li.appendChild(bar);
    li.appendChild(msg);
    list.appendChild(li);
    var item = { file: file, kind: kind, li: li, bar: bar, msg: msg, tries: 0, blob: null };
    say(item, '等待上传');
    queue.push(item);
  }

  function say(item, text) { item.msg.textContent = text; }

  function next() {
    if (busy) { return; }
    var item = queue.shift();
    if (!item) { finish(); return; }
    busy = true;
    prepare(item, function (blob) { send(item, blob); });
  }

  function prepare(item, cb) {
    var f = item.file;
    if (item.blob) { cb(item.blob); return; }
    if (/^image\/(jpeg|png|webp)$/.test(f.type) && f.size > COMPRESS_OVER) {
      say(item, '正在压缩照片…');
      shrink(f, function (b) {
        item.blob = b && b.size < f.size ? b : f;
        cb(item.blob);
      });
      return;
    }
    item.blob = f;
    cb(f);
  }

  function shrink(file, cb) {
    var url;
    try { url = URL.createObjectURL(file); } catch (e) { cb(null); return; }
    var img = new Image();
    img.onload = function () {
      var w = img.naturalWidth, h = img.naturalHeight;
      var s = Math.min(1, MAX_EDGE / Math.max(w, h));
      var c = document.createElement('canvas');
      c.width = Math.round(w * s);
      c.height = Math.round(h * s);
      try {
        c.getContext('2d').drawImage(img, 0, 0, c.width, c.height);
      } catch (e) { URL.revokeObjectURL(url); cb(null); return; }
      URL.revokeObjectURL(url);
      toBlob(c, cb);
    };
    img.onerror = function () { URL.revokeObjectURL(url); cb(null); };
    img.src = url;
  }

  function toBlob(canvas, cb) {
    if (canvas.toBlob) { canvas.toBlob(function (b) { cb(b); }, 'image/jpeg', QUALITY); return; }
    try {
      var bin = atob(canvas.toDataURL('image/jpeg', QUALITY).split(',')[1]);
      var bytes = new Uint8Array(bin.length);
      for (var k = 0; k < bin.length; k++) { bytes[k] = bin.charCodeAt(k); }
      cb(new Blob([bytes], { type: 'image/jpeg' }));
    } catch (e) { cb(null); }
  }

  function nameOf(item, blob) {
    var name = item.file.name || '';
    if (blob !== item.file) { name = name.replace(/\.[^.]*$/, '') + '.jpg'; }
    return name;
  }

  function send(item, blob) {
    if (blob.size > RESUMABLE_OVER) { resume(item, blob); return; }
    var xhr = new XMLHttpRequest();
    xhr.open('POST', base + '/files?kind=' + encodeURIComponent(item.kind) + '&name=' + encodeURIComponent(nameOf(item, blob)));
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) {
        item.bar.value = Math.round(e.loaded * 100 / e.total);
        say(item, '上传中 ' + item.bar.value + '%');
      }
    };
    xhr.onload = function () {
      var res = parse(xhr.responseText);
      var text = res && res.message;
      if (xhr.status === 201) { sentOK(item, res); return; }
      answer(item, xhr.status, res);
    };
    xhr.onerror = function () { retry(item, '网络不稳定'); };
    xhr.ontimeout = xhr.onerror;
    say(item, '上传中 0%');
    xhr.send(blob);
  }

  // answer handles a refusal: busy or broken connections are retried, the rest
  // (wrong type, too large, dead link) shown as they are.
  function answer(item, status, res) {
    var text = res && res.message;
    if (status === 429 || status >= 500 || status === 0 || (res && res.code === 'upload_busy')) {
      retry(item, text || '服务器繁忙');
      return;
    }
    fail(item, text || '上传失败', false);
  }

  function request(method, url, cb, item) {
    var xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.onload = function () { cb(xhr.status, parse(xhr.responseText)); };
    xhr.onerror = function () { retry(item, '网络不稳定'); };
    xhr.ontimeout = xhr.onerror;
    xhr.send();
  }

  // resume sends a large file in pieces: it opens the upload once, and after a break
  // asks the server how much arrived and goes on from there.
  function resume(item, blob) {
    if (!item.upload) {
      request('POST', base + '/uploads?kind=' + encodeURIComponent(item.kind) + '&name=' +
        encodeURIComponent(nameOf(item, blob)) + '&size=' + blob.size, function (status, res) {
        if (status === 201 && res) { item.upload = res.id; item.offset = 0; piece(item, blob); return; }
        answer(item, status, res);
      }, item);
      return;
    }
    request('GET', base + '/uploads/' + item.upload, function (status, res) {
      if (status === 200 && res) { item.offset = res.offset; piece(item, blob); return; }
      if (status === 404) { item.upload = null; resume(item, blob); return; }
      answer(item, status, res);
    }, item);
  }

  function progress(item, done, total) {
    item.bar.value = Math.floor(done * 100 / total);
    say(item, '上传中 ' + item.bar.value + '%');
  }

  function piece(item, blob) {
    var end = Math.min(item.offset + PIECE, blob.size);
    var xhr = new XMLHttpRequest();
    xhr.open('PATCH', base + '/uploads/' + item.upload);
    xhr.setRequestHeader('Upload-Offset', String(item.offset));
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) { progress(item, item.offset + e.loaded, blob.size); }
    };
    xhr.onload = function () {
      var res = parse(xhr.responseText);
      if (xhr.status === 201) { sentOK(item, res); return; }
      if (res && typeof res.offset === 'number' && (xhr.status === 200 || xhr.status === 409 || xhr.status === 400)) {
        if (res.offset > item.offset) { item.tries = 0; }
        item.offset = res.offset;
        progress(item, item.offset, blob.size);
        if (xhr.status === 400) { retry(item, '网络不稳定,已传 ' + item.bar.value + '%,将从断点继续'); return; }
        piece(item, blob);
        return;
      }
      if (xhr.status === 404) { item.upload = null; retry(item, '上传已失效,将重新上传'); return; }
      answer(item, xhr.status, res);
    };
    xhr.onerror = function () { retry(item, '网络不稳定,已传 ' + item.bar.value + '%,将从断点继续'); };
    xhr.ontimeout = xhr.onerror;
    xhr.send(blob.slice(item.offset, end));
  }

  function parse(text) { try { return JSON.parse(text); } catch (e) { return null; } }

  function sentOK(item, res) {
    item.bar.value = 100;
    item.li.className = 'sent';
    say(item, '已上传');
    sent++;
    if (res && res.missing) { showMissing(res.missing); }
    busy = false;
    next();
  }

  function retry(item, why) {
    item.tries++;
    if (item.tries <= WAITS.length) {
      var wait = WAITS[item.tries - 1];
      say(item, why + ',' + wait + ' 秒后自动重试(第 ' + item.tries + ' 次)');
      setTimeout(function () { busy = false; queue.unshift(item); next(); }, wait * 1000);
      return;
    }
    fail(item, why + ',请点“重试”', true);
  }

  function fail(item, why, again) {
    item.li.className = 'failed';
    item.bar.hidden = true;
    say(item, why);
    failed++;
    if (again) {
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'retry';
      b.textContent = '重试';
      b.addEventListener('click', function () {
        item.li.removeChild(b);
        item.li.className = '';
        item.bar.hidden = false;
        item.bar.value = 0;
        item.tries = 0;
        failed--;
        queue.push(item);
        done.hidden = true;
        next();
      });
      item.msg.appendChild(b);
    }
    busy = false;
    next();
  }

  function finish() {
    if (sent === 0 && failed === 0) { return; }
    if (failed > 0) {
      done.className = 'refused';
      done.textContent = '有 ' + failed + ' 个文件没有上传成功,请按提示处理。已成功上传 ' + sent + ' 个。';
    } else {
      done.className = 'ok';
      done.textContent = '上传完成!共 ' + sent + ' 个文件,客服会尽快查看,您可以关闭此页面。';
    }
    done.hidden = false;
  }

  function showMissing(needs) {
    var ul = document.getElementById('missing');
    while (ul.firstChild) { ul.removeChild(ul.firstChild); }
    var wanted = {};
    for (var n = 0; n < needs.length; n++) {
      var li = document.createElement('li');
      li.setAttribute('data-kind', needs[n].kind);
      li.textContent = needs[n].label;
      ul.appendChild(li);
      wanted[needs[n].kind] = true;
    }
    document.getElementById('complete').hidden = needs.length > 0;
    var kinds = document.querySelectorAll('.kind[data-kind]');
    for (var m = 0; m < kinds.length; m++) {
      var k = kinds[m];
      var want = !!wanted[k.getAttribute('data-kind')];
      k.className = want ? 'kind wanted' : 'kind';
      var em = k.querySelector('em');
      if (em && !want) { em.parentNode.removeChild(em); }
    }
  }
}());
