/* Review badges, re-checked against the reader's date.
 *
 * The build works out each policy's status for the day it was built; a published site is read
 * long after. This re-evaluates every badge with `data-due` against today's date, using the
 * same rules as the build (src/analyse/review.rs): past the due day is overdue; within the
 * due-soon window is due soon. Without JavaScript the build-time status stands.
 */
(function () {
  'use strict';
  var DAY = 86400000;
  var now = new Date();
  var today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());

  function parse(iso) {
    var p = iso.split('-').map(Number);
    return Date.UTC(p[0], p[1] - 1, p[2]);
  }

  function plural(n, unit) { return n + ' ' + unit + (n === 1 ? '' : 's'); }

  // The same wording as describe_days in src/analyse/review.rs.
  function describe(days) {
    if (days >= 365) {
      var years = Math.floor(days / 365);
      var months = Math.floor((days % 365) / 30);
      return months > 0 ? plural(years, 'year') + ' ' + plural(months, 'month') : plural(years, 'year');
    }
    if (days >= 60) return plural(Math.floor(days / 30), 'month');
    if (days >= 14) return plural(Math.floor(days / 7), 'week');
    return plural(days, 'day');
  }

  document.querySelectorAll('.review-badge[data-due]').forEach(function (badge) {
    if (badge.getAttribute('data-built') === new Date(today).toISOString().slice(0, 10)) return;
    var days = Math.round((parse(badge.getAttribute('data-due')) - today) / DAY);
    var status, label, detail;
    if (days < 0) {
      status = 'overdue'; label = 'Overdue'; detail = 'Overdue by ' + describe(-days);
    } else if (days <= Number(badge.getAttribute('data-window'))) {
      status = 'due-soon'; label = 'Due soon'; detail = days === 0 ? 'Due today' : 'Due in ' + describe(days);
    } else {
      status = 'current'; label = 'Current'; detail = 'Due in ' + describe(days);
    }
    badge.className = 'review-badge review-' + status;
    badge.querySelector('.review-label').textContent = label;
    var d = badge.querySelector('.review-detail');
    if (d) d.textContent = detail;
    badge.setAttribute('title', 'Checked against today’s date; the page was built on ' + badge.getAttribute('data-built'));
  });
  document.querySelectorAll('.review-today').forEach(function (el) {
    el.textContent = new Date(today).toISOString().slice(0, 10) + ' (today; the site was built on ' + el.getAttribute('data-built') + ')';
  });
})();
