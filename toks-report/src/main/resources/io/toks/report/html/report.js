// Draws every chart of the page from the specs in <script id="toks-charts" type="application/json">
// (io.toks.report.chart.ChartSpec as JSON) with ECharts, and writes what it drew into data
// attributes: per chart data-rendered and data-series (its data series, error bars not counted),
// on <body> data-charts-rendered. Text from the documents reaches the DOM only as text.
(function () {
  'use strict';
  var PALETTE = ['#5470c6', '#ee6666', '#91cc75', '#fac858', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc', '#2f4554'];
  var ERROR_BAR_PREFIX = 'ci:';

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }

  function number(v) {
    if (v === null || v === undefined || !isFinite(v)) return 'n/a';
    var a = Math.abs(v);
    return v.toLocaleString('en-US', {maximumFractionDigits: a >= 100 ? 1 : a >= 1 ? 2 : 4});
  }

  function title(axis) {
    return axis.unit ? axis.name + ' (' + axis.unit + ')' : axis.name;
  }

  // Threads, streams, token counts: no ticks between whole numbers.
  function integral(spec) {
    return spec.x.kind !== 'CATEGORY' && spec.x.kind !== 'TIME'
        && spec.series.every(function (s) { return s.points.every(function (p) { return Number.isInteger(p.x); }); });
  }

  function axisType(kind) {
    return {CATEGORY: 'category', VALUE: 'value', LOG: 'log', TIME: 'time'}[kind];
  }

  function categoriesOf(spec) {
    var seen = {}, out = [];
    spec.series.forEach(function (s) {
      s.points.forEach(function (p) {
        if (p.category !== null && !Object.prototype.hasOwnProperty.call(seen, p.category)) { seen[p.category] = true; out.push(p.category); }
      });
    });
    return out;
  }

  // An error bar from low to high at x; bars of a category sit side by side (barGap 0, 20% gap
  // between categories), so the bar of series i of n is offset from the category's centre.
  function errorBar(barIndex, barCount) {
    return function (params, api) {
      var x = api.value(0);
      var high = api.coord([x, api.value(2)]);
      var low = api.coord([x, api.value(1)]);
      var offset = 0, half = 5;
      if (barCount > 0) {
        var width = api.size([1, 0])[0] * 0.8 / barCount;
        offset = (barIndex - (barCount - 1) / 2) * width;
        half = Math.max(2, Math.min(8, width / 4));
      }
      var cx = high[0] + offset;
      // Over a bar the bar's own colour would hide the lower half: bars get dark error bars, lines their colour.
      var style = {stroke: barCount > 0 ? '#333' : api.visual('color'), lineWidth: 1.5, fill: null};
      return {type: 'group', children: [
        {type: 'line', shape: {x1: cx - half, y1: high[1], x2: cx + half, y2: high[1]}, style: style},
        {type: 'line', shape: {x1: cx, y1: high[1], x2: cx, y2: low[1]}, style: style},
        {type: 'line', shape: {x1: cx - half, y1: low[1], x2: cx + half, y2: low[1]}, style: style}]};
    };
  }

  function option(spec) {
    var category = spec.x.kind === 'CATEGORY';
    var categories = category ? categoriesOf(spec) : [];
    var bars = spec.series.filter(function (s) { return s.style === 'BAR'; }).length;
    var series = [], pointsOf = {}, barIndex = 0;
    spec.series.forEach(function (s, i) {
      var color = PALETTE[i % PALETTE.length];
      var aligned = category
          ? categories.map(function (c) { return s.points.filter(function (p) { return p.category === c; })[0] || null; })
          : s.points;
      var position = function (p, j) { return category ? j : p.x; };
      pointsOf[series.length] = aligned;
      series.push({
        id: 'data:' + i, name: s.name, type: s.style === 'BAR' ? 'bar' : 'line',
        itemStyle: {color: color}, lineStyle: {color: color}, symbolSize: 7,
        barGap: '0%', barCategoryGap: '20%',
        label: {show: s.points.some(function (p) { return p.label; }) && !category, position: 'top', fontSize: 10,
          formatter: function (p) { var point = aligned[p.dataIndex]; return point && point.label ? point.label : ''; }},
        data: aligned.map(function (p, j) { return category ? (p === null ? '-' : p.y) : [p.x, p.y]; })
      });
      var intervals = aligned.map(function (p, j) { return p !== null && p.low !== null && p.high !== null ? [position(p, j), p.low, p.high] : null; })
          .filter(function (d) { return d !== null; });
      if (intervals.length > 0) {
        series.push({id: ERROR_BAR_PREFIX + i, name: s.name, type: 'custom', itemStyle: {color: color}, z: 5, tooltip: {show: false},
          renderItem: errorBar(s.style === 'BAR' ? barIndex : 0, s.style === 'BAR' ? bars : 0), encode: {x: 0, y: [1, 2]}, data: intervals});
      }
      if (s.style === 'BAR') barIndex++;
    });
    return {
      animation: false,
      color: PALETTE,
      title: {text: spec.title, left: 10, top: 6, textStyle: {fontSize: 15}},
      legend: {type: 'scroll', top: 34, left: 10, right: 10, data: spec.series.map(function (s) { return s.name; })},
      grid: {left: 70, right: 30, top: 76, bottom: category ? 80 : 56, containLabel: true},
      tooltip: {trigger: 'item', formatter: function (p) {
        var point = pointsOf[p.seriesIndex] && pointsOf[p.seriesIndex][p.dataIndex];
        if (!point) return '';
        var where = category ? point.category : spec.x.kind === 'TIME' ? new Date(point.x).toISOString() : number(point.x) + (spec.x.unit ? ' ' + spec.x.unit : '');
        var text = escapeHtml(p.seriesName) + '<br>' + escapeHtml(spec.x.name) + ': ' + escapeHtml(where)
            + '<br>' + escapeHtml(spec.y.name) + ': ' + number(point.y) + ' ' + escapeHtml(spec.y.unit);
        if (point.low !== null && point.high !== null) text += '<br>95% CI ' + number(point.low) + ' – ' + number(point.high);
        if (point.label) text += '<br>' + escapeHtml(point.label);
        return text;
      }},
      xAxis: {type: axisType(spec.x.kind), name: title(spec.x), nameLocation: 'middle', nameGap: category ? 60 : 30,
        data: category ? categories : undefined, logBase: 2, scale: !category, minInterval: integral(spec) ? 1 : 0,
        axisLabel: category ? {interval: 0, rotate: categories.length > 4 ? 20 : 0, width: 160, overflow: 'truncate'} : {}},
      yAxis: {type: 'value', name: title(spec.y), nameLocation: 'middle', nameGap: 58},
      series: series
    };
  }

  var specs = JSON.parse(document.getElementById('toks-charts').textContent);
  var rendered = 0;
  specs.forEach(function (spec, i) {
    var element = document.getElementById('chart-' + (i + 1));
    try {
      var chart = echarts.init(element, null, {renderer: 'canvas'});
      chart.setOption(option(spec));
      var drawn = chart.getOption().series;
      var data = drawn.filter(function (s) { return String(s.id).indexOf(ERROR_BAR_PREFIX) !== 0; }).length;
      element.setAttribute('data-series', String(data));
      element.setAttribute('data-error-bars', String(drawn.length - data));
      element.setAttribute('data-rendered', 'true');
      rendered++;
      window.addEventListener('resize', function () { chart.resize(); });
    } catch (e) {
      element.setAttribute('data-rendered', 'false');
      window.toksError('chart ' + (i + 1) + ' (' + spec.title + '): ' + e);
    }
  });
  document.body.setAttribute('data-charts-rendered', String(rendered));
})();
