// Progressive enhancement only: the forms work without this file.
(function () {
  'use strict';
  function counter(field) {
    var out = document.getElementById(field.getAttribute('data-counter'));
    if (!out) return;
    var template = out.getAttribute('data-template') || '{count}';
    var update = function () {
      out.textContent = template.replace('{count}', String(field.value.length));
    };
    field.addEventListener('input', update);
    update();
  }
  // Desk shortcuts: "/" focuses search, "g m" my cases, "g u" unit queue.
  function shortcuts() {
    if (!document.body.classList.contains('desk')) return;
    var pending = '';
    document.addEventListener('keydown', function (event) {
      var target = event.target;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      var key = pending ? pending + ' ' + event.key : event.key;
      pending = event.key === 'g' && !pending ? 'g' : '';
      var element = null;
      Array.prototype.forEach.call(document.querySelectorAll('[data-key]'), function (candidate) {
        if (!element && candidate.getAttribute('data-key') === key) element = candidate;
      });
      if (!element) return;
      event.preventDefault();
      if (element.tagName === 'INPUT') element.focus();
      else element.click();
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    Array.prototype.forEach.call(document.querySelectorAll('[data-counter]'), counter);
    var summary = document.getElementById('error-summary');
    if (summary) summary.focus();
    shortcuts();
  });
})();
