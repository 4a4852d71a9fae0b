/* Compare matrix: choose schools, filter topics by stance, reorder topics.
 * The table works fully without this script. The controls show only where scripts run
 * (style.css, `@media (scripting: none)`); unhiding them here covers older browsers. */
(function () {
  'use strict';
  var controls = document.getElementById('pkb-compare-controls');
  if (!controls) return;
  var table = document.querySelector('table.matrix');
  var body = table.tBodies[0];
  var rows = Array.from(body.rows);
  var stance = document.getElementById('pkb-compare-stance');
  var sort = document.getElementById('pkb-compare-sort');
  var status = controls.querySelector('[role="status"]');
  var boxes = Array.from(controls.querySelectorAll('input[name="school"]'));
  controls.hidden = false;

  function shownSchools() {
    return boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
  }

  function update() {
    var schools = shownSchools();
    // Only what changes is touched: rewriting every cell and row of the matrix costs a full
    // relayout, which on a phone blocks the page for a noticeable time.
    table.querySelectorAll('[data-school]').forEach(function (cell) {
      var hide = schools.indexOf(cell.getAttribute('data-school')) < 0;
      if (cell.hidden !== hide) cell.hidden = hide;
    });
    var wanted = stance.value;
    var visible = 0;
    rows.forEach(function (row) {
      var match = !wanted || Array.from(row.querySelectorAll('td')).some(function (td) {
        return !td.hidden && td.getAttribute('data-stance') === wanted;
      });
      if (row.hidden === match) row.hidden = !match;
      if (match) visible++;
    });
    var key = sort.value;
    var ordered = rows.slice().sort(function (a, b) {
      if (key === 'title') return a.dataset.title.localeCompare(b.dataset.title);
      if (key === 'gaps') return b.dataset.gaps - a.dataset.gaps || a.dataset.order - b.dataset.order;
      return a.dataset.order - b.dataset.order;
    });
    var inOrder = ordered.every(function (row, i) { return body.rows[i] === row; });
    if (!inOrder) ordered.forEach(function (row) { body.appendChild(row); });
    var schoolWord = schools.length === 1 ? ' school.' : ' schools.';
    status.textContent = visible + ' of ' + rows.length + ' topics shown, for ' + schools.length + schoolWord;
  }

  boxes.forEach(function (b) { b.addEventListener('change', update); });
  stance.addEventListener('change', update);
  sort.addEventListener('change', update);
  update();
})();
