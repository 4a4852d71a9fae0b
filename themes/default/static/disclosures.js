/* Closed disclosures on a policy page (cover pages, the source's contents list, reporting
 * routes, the rest of "At a glance"): a link to something inside one opens it, and printing
 * opens them all. Browsers that support ::details-content do both without this script
 * (style.css and print.css); it covers the others. The page works without it. */
(function () {
  'use strict';
  function openAround(element) {
    for (var d = element && element.closest('details'); d; d = d.parentElement && d.parentElement.closest('details')) {
      d.open = true;
    }
  }
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id) openAround(document.getElementById(id));
  }
  window.addEventListener('hashchange', openTarget);
  openTarget();
  var opened = [];
  window.addEventListener('beforeprint', function () {
    opened = Array.prototype.filter.call(document.querySelectorAll('details:not([open])'), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener('afterprint', function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
