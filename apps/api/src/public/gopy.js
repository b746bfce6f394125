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
  document.addEventListener('DOMContentLoaded', function () {
    Array.prototype.forEach.call(document.querySelectorAll('[data-counter]'), counter);
    var summary = document.getElementById('error-summary');
    if (summary) summary.focus();
  });
})();
