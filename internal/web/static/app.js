// shouhou workbench: small progressive enhancements; every form also works without JS
// except the evidence upload, which posts to the JSON API.
(function () {
  "use strict";

  // Queues and tables: j/k move the selection, Enter opens the row.
  function keynav() {
    var table = document.querySelector("table[data-keynav]");
    if (!table) return;
    var rows = Array.prototype.slice.call(table.querySelectorAll("tr[data-href]"));
    if (!rows.length) return;
    var i = -1;
    function select(n) {
      if (i >= 0) rows[i].classList.remove("sel");
      i = Math.max(0, Math.min(rows.length - 1, n));
      rows[i].classList.add("sel");
      rows[i].focus({ preventScroll: true });
      rows[i].scrollIntoView({ block: "nearest" });
    }
    rows.forEach(function (row, n) {
      row.addEventListener("click", function (e) {
        if (e.target.closest("a,button,form")) return;
        location.href = row.dataset.href;
      });
      row.addEventListener("focus", function () { if (i !== n) { if (i >= 0) rows[i].classList.remove("sel"); i = n; row.classList.add("sel"); } });
    });
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      if (e.key === "j") { select(i + 1); e.preventDefault(); }
      else if (e.key === "k") { select(i - 1); e.preventDefault(); }
      else if (e.key === "Enter" && i >= 0 && (t === document.body || t === rows[i])) { location.href = rows[i].dataset.href; e.preventDefault(); }
    });
  }

  // A script's missing placeholders ({金额} …) are typed next to it: the copy button
  // copies the text with them filled in (the server fills the recorded one).
  function placeholderInputs() {
    document.querySelectorAll(".script").forEach(function (box) {
      var copy = box.querySelector("button[data-copy]");
      var inputs = box.querySelectorAll("input[data-ph]");
      if (!copy || !inputs.length) return;
      inputs.forEach(function (input) {
        input.addEventListener("input", function () {
          var text = copy.dataset.template;
          inputs.forEach(function (i) { if (i.value) text = text.split("{" + i.dataset.ph + "}").join(i.value); });
          copy.dataset.copy = text;
        });
      });
    });
  }

  // Copy a filled script to the clipboard.
  function copyButtons() {
    document.querySelectorAll("button[data-copy]").forEach(function (b) {
      b.addEventListener("click", function () {
        var text = b.dataset.copy;
        function ok() { var old = b.textContent; b.textContent = "已复制"; setTimeout(function () { b.textContent = old; }, 1500); }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(ok, function () { fallback(text); ok(); });
        } else { fallback(text); ok(); }
      });
    });
    function fallback(text) {
      var ta = document.createElement("textarea");
      ta.value = text; ta.setAttribute("readonly", ""); ta.style.position = "fixed"; ta.style.opacity = "0";
      document.body.appendChild(ta); ta.select();
      try { document.execCommand("copy"); } catch (e) { /* the text stays selectable */ }
      document.body.removeChild(ta);
    }
  }

  // Solution picker: check the compensation amount against the agent's limit as it is
  // typed; above the limit (and above what a supervisor approved) only 申请主管审批 remains.
  function solutionPicker() {
    var form = document.getElementById("solution-form");
    if (!form) return;
    var kind = form.querySelector("#sol-kind"), amount = form.querySelector("#sol-amount");
    var check = form.querySelector("#sol-check"), ask = form.querySelector("#sol-approval");
    var std = form.querySelectorAll("button.std");
    var limit = parseFloat(form.dataset.limit) || 0, approved = parseFloat(form.dataset.approved) || 0;
    var unlimited = form.dataset.unlimited === "true";
    function update() {
      var v = parseFloat(amount.value);
      var money = kind.value === "compensation" || kind.value === "retention";
      var over = money && !unlimited && v > limit && v > approved;
      std.forEach(function (b) { b.hidden = over; });
      ask.hidden = !over;
      check.classList.toggle("over", over);
      if (!money || isNaN(v)) { check.textContent = ""; }
      else if (over) { check.textContent = "超出你的补偿权限(" + limit + " 元),需要主管审批"; }
      else if (v > limit && !unlimited) { check.textContent = "主管已批准 " + approved + " 元,可以直接给出"; }
      else { check.textContent = "在你的补偿权限内(" + (unlimited ? "不限" : limit + " 元") + ")"; }
    }
    kind.addEventListener("change", update);
    amount.addEventListener("input", update);
    update();
  }

  // Remark: fill in the suggestion generated from the case.
  function remarkSuggest() {
    var b = document.getElementById("remark-suggest"), ta = document.getElementById("remark-text");
    if (!b || !ta) return;
    b.addEventListener("click", function () { ta.value = b.dataset.suggest; ta.focus(); });
  }

  // Evidence: preview before upload, then post to the API (same session cookie).
  function evidence() {
    var form = document.getElementById("evidence-form");
    if (!form) return;
    var input = form.querySelector("#ev-file"), preview = form.querySelector("#ev-preview"), err = form.querySelector("#ev-error");
    input.addEventListener("change", function () {
      preview.textContent = "";
      var f = input.files[0];
      if (!f) return;
      var url = URL.createObjectURL(f), el;
      if (f.type.indexOf("video/") === 0) { el = document.createElement("video"); el.controls = true; }
      else { el = document.createElement("img"); el.alt = "预览:" + f.name; }
      el.src = url; preview.appendChild(el);
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      err.hidden = true;
      var btn = form.querySelector("#ev-upload");
      btn.disabled = true; btn.textContent = "上传中…";
      fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
        .then(function (r) {
          if (r.ok) { location.reload(); return; }
          if (r.status === 401) { location.href = "/login?why=expired&next=" + encodeURIComponent(location.pathname); return; }
          return r.json().then(function (j) { throw new Error(j.message || "上传失败"); });
        })
        .catch(function (x) { err.textContent = x.message || "上传失败"; err.hidden = false; })
        .finally(function () { btn.disabled = false; btn.textContent = "上传凭证"; });
    });
  }

  // 仓库收货: − / + beside the counts, and each receipt (photos included) posted to the
  // JSON API; on success the page goes back to an empty scan field.
  function warehouse() {
    Array.prototype.forEach.call(document.querySelectorAll(".stepper button[data-step]"), function (b) {
      b.addEventListener("click", function () {
        var input = document.getElementById(b.dataset.for);
        var n = (parseInt(input.value, 10) || 0) + parseInt(b.dataset.step, 10);
        input.value = n < 0 ? 0 : n;
      });
    });
    // the photo input is hidden behind a Chinese 拍照/选择照片 button: say how many are chosen
    Array.prototype.forEach.call(document.querySelectorAll(".photo-pick input[type=file]"), function (input) {
      var count = document.getElementById(input.id.replace("photo-", "photo-count-"));
      input.addEventListener("change", function () {
        var n = input.files ? input.files.length : 0;
        count.textContent = n ? "已选择" + n + "张照片" : "未选择照片";
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("form.receipt-form"), function (form) {
      var err = form.querySelector(".receipt-error"), btn = form.querySelector("button[type=submit]"), label = btn.textContent;
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        err.hidden = true;
        btn.disabled = true; btn.textContent = "提交中…";
        fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
          .then(function (r) {
            if (r.status === 401) { location.href = "/login?why=expired&next=/warehouse"; return; }
            return r.json().then(function (j) {
              if (!r.ok) throw new Error(j.message || "提交失败");
              var done = j.unknown_parcel ? "unknown=" + encodeURIComponent(j.unknown_parcel.number) : "received=" + j.case_id;
              location.href = "/warehouse?" + done;
            });
          })
          .catch(function (x) { err.textContent = x.message || "提交失败"; err.hidden = false; btn.disabled = false; btn.textContent = label; });
      });
    });
  }

  // New case: pasting a message fills the form at once.
  function autoparse() {
    var ta = document.querySelector("textarea[data-autoparse=true]"), btn = document.getElementById("parse-btn");
    if (!ta || !btn) return;
    ta.addEventListener("paste", function () {
      setTimeout(function () { if (ta.value.trim()) btn.click(); }, 0);
    });
    // a field read with little confidence: its two likely codes as buttons
    document.querySelectorAll("button.choice").forEach(function (b) {
      b.addEventListener("click", function () {
        var sel = document.querySelector("select[name=" + b.dataset.field + "]");
        if (sel) { sel.value = b.dataset.value; sel.dispatchEvent(new Event("change", { bubbles: true })); }
      });
    });
  }

  // 通知: the header's unread count and a toast for each new notification, live from
  // the server's event stream (no reload, no polling).
  function notifications() {
    var badge = document.getElementById("unread");
    if (!badge || !window.EventSource) return;
    var seen = -1;
    var src = new EventSource("/api/v1/notifications/stream");
    src.addEventListener("notification", function (e) {
      var s = JSON.parse(e.data);
      badge.textContent = s.unread;
      badge.hidden = s.unread === 0;
      var latest = s.latest;
      if (seen >= 0 && latest && latest.id > seen) toast(latest);
      seen = latest ? Math.max(seen, latest.id) : Math.max(seen, 0);
      window.__streamed = true;
    });
  }

  function toast(n) {
    var box = document.getElementById("toasts");
    if (!box) {
      box = document.createElement("div");
      box.id = "toasts"; box.setAttribute("role", "status"); box.setAttribute("aria-live", "polite");
      document.body.appendChild(box);
    }
    var a = document.createElement("a");
    a.className = "toast kind-" + n.kind; a.href = "/cases/" + n.case_id;
    a.textContent = "【" + n.label + "】" + n.text;
    box.appendChild(a);
    setTimeout(function () { a.remove(); }, 15000);
  }

  // Script editor: the lint (negative words, apology loops, arguing) runs as the text
  // is typed, through the same check as the API's POST /api/v1/lint.
  function liveLint() {
    var text = document.getElementById("script-text"), out = document.getElementById("lint");
    if (!text || !out || text.disabled) return;
    var timer = null;
    text.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (!text.value.trim()) { out.textContent = ""; return; }
        fetch("/api/v1/lint", { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ text: text.value }) })
          .then(function (r) { return r.ok ? r.json() : { warnings: [] }; })
          .then(function (body) {
            out.textContent = "";
            var ws = body.warnings || [];
            if (!ws.length) { var ok = document.createElement("p"); ok.className = "hint"; ok.textContent = "话术检查:没有问题"; out.appendChild(ok); }
            ws.forEach(function (w) { var p = document.createElement("p"); p.className = "late"; p.textContent = w.message; out.appendChild(p); });
          });
      }, 400);
    });
  }

  // Keyboard shortcuts, and ? to list them all. Single keys, never while typing.
  var shortcuts = [
    ["?", "显示/隐藏快捷键", function () { toggleHelp(); }],
    ["/", "搜索(队列、登记表、话术库)", function () { focus("#q, #sq, input[type=search]"); }],
    ["j / k", "列表中上下移动", null],
    ["Enter", "打开选中的工单", null],
    ["g", "回到我的队列", function () { location.href = "/queue"; }],
    ["n", "新建工单", function () { location.href = "/new"; }],
    ["r", "工单页:写备注", function () { focus("#remark-text"); }],
    ["a", "工单页:填写方案金额", function () { focus("#sol-amount"); }],
    ["c", "工单页:复制第一条话术", function () { var b = document.querySelector("#scripts button.copy"); if (b) b.click(); }],
    ["u", "工单页:上传凭证", function () { focus("#executions input, #evidence input[type=file], input[type=file]"); }],
    ["m", "工单页:合并到另一个工单", function () { var a = document.getElementById("merge-link"); if (a) location.href = a.href; }]
  ];
  function focus(sel) { var el = document.querySelector(sel); if (el) { el.focus(); el.scrollIntoView({ block: "center" }); } }
  function toggleHelp() {
    var box = document.getElementById("shortcut-help");
    if (box) { box.remove(); return; }
    box = document.createElement("div");
    box.id = "shortcut-help"; box.setAttribute("role", "dialog"); box.setAttribute("aria-label", "快捷键");
    var h = document.createElement("h2"); h.textContent = "快捷键"; box.appendChild(h);
    var dl = document.createElement("dl");
    shortcuts.forEach(function (s) {
      var dt = document.createElement("dt"), dd = document.createElement("dd"), k = document.createElement("kbd");
      k.textContent = s[0]; dt.appendChild(k); dd.textContent = s[1]; dl.appendChild(dt); dl.appendChild(dd);
    });
    box.appendChild(dl);
    var close = document.createElement("button"); close.type = "button"; close.textContent = "关闭(Esc)";
    close.addEventListener("click", function () { box.remove(); });
    box.appendChild(close);
    document.body.appendChild(box);
  }
  function keys() {
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      if (e.key === "Escape") { var box = document.getElementById("shortcut-help"); if (box) box.remove(); return; }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      for (var i = 0; i < shortcuts.length; i++) {
        if (shortcuts[i][0] === e.key && shortcuts[i][2]) { e.preventDefault(); shortcuts[i][2](); return; }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    keynav(); placeholderInputs(); copyButtons(); solutionPicker(); remarkSuggest(); evidence(); warehouse(); autoparse(); notifications(); liveLint(); keys();
  });
})();
