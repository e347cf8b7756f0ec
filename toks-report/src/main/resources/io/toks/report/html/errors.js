// Runs before anything else: every script error, rejected promise and console.error lands in
// #toks-errors and in <html data-errors="N">, so a reader (and a headless test) sees a broken page.
(function () {
  'use strict';
  var errors = [];
  function record(message) {
    errors.push(String(message));
    document.documentElement.setAttribute('data-errors', String(errors.length));
    var box = document.getElementById('toks-errors');
    if (box) { box.hidden = false; box.textContent = errors.join('\n'); }
  }
  window.toksError = record;
  window.addEventListener('error', function (e) { record('error: ' + e.message + ' (' + e.filename + ':' + e.lineno + ')'); });
  window.addEventListener('unhandledrejection', function (e) { record('unhandled rejection: ' + e.reason); });
  var consoleError = console.error;
  console.error = function () {
    record('console.error: ' + Array.prototype.join.call(arguments, ' '));
    return consoleError.apply(console, arguments);
  };
  document.documentElement.setAttribute('data-errors', '0');
})();
