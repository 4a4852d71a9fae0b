/* policykb serve: reloads the page when a new build is ready, and shows build errors over the
 * page until they are fixed. Served only by `policykb serve`; never part of a built site. */
(function () {
  'use strict';
  var overlay = null;
  var seen = null;

  function show(errors, hasBuild) {
    if (!overlay) {
      overlay = document.createElement('div');
      overlay.id = 'pkb-build-errors';
      overlay.setAttribute('role', 'alert');
      overlay.className = 'pkb-overlay';
      document.body.appendChild(overlay);
    }
    overlay.replaceChildren();
    var title = document.createElement('h2');
    title.textContent = hasBuild
      ? 'The last edit did not build — this page shows the last good build'
      : 'The site did not build — there is no earlier build to show';
    overlay.appendChild(title);
    errors.forEach(function (e) {
      var block = document.createElement('pre');
      block.textContent = e.text;
      overlay.appendChild(block);
    });
    var hint = document.createElement('p');
    hint.textContent = 'Fix the file and save it: this message goes away by itself.';
    overlay.appendChild(hint);
  }

  function hide() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  function errorsOf(status) {
    return status.errors.filter(function (e) { return e.severity === 'error'; });
  }

  var source = new EventSource('/__policykb/events');
  source.addEventListener('hello', function (e) {
    var status = JSON.parse(e.data);
    seen = status.version;
    var errors = errorsOf(status);
    if (errors.length) show(errors, status.has_build); else hide();
  });
  source.addEventListener('error', function (e) {
    if (!e.data) return; // a dropped connection, not a build error
    var status = JSON.parse(e.data);
    seen = status.version;
    show(errorsOf(status), status.has_build);
  });
  source.addEventListener('reload', function (e) {
    var status = JSON.parse(e.data);
    if (status.version === seen) return;
    seen = status.version;
    hide();
    location.reload();
  });
})();
