/* Reporting-route charts: a click on a step opens the clause it comes from.
 * The chart is a picture (role="img") and holds no links of its own; the list beside each
 * chart links every step's clauses for keyboard and screen-reader users. */
(function () {
  'use strict';
  document.querySelectorAll('.flowchart .route-node[data-href]').forEach(function (node) {
    node.addEventListener('click', function () {
      location.href = new URL(node.getAttribute('data-href'), location.href).href;
    });
  });
})();
