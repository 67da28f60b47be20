import { init, use, type EChartsType } from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, ParallelChart, ScatterChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, ParallelComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

// Only what the pages draw: the bundle stays a fraction of full ECharts and loads offline from the server.
use([BarChart, HeatmapChart, LineChart, ParallelChart, ScatterChart, DataZoomComponent, GridComponent, LegendComponent, ParallelComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

const charts = new Map<HTMLElement, EChartsType>();

/** The chart drawn in `el` (made on first use; pages reuse it so brushes and zoom survive live updates). */
export function chartIn(el: HTMLElement): EChartsType {
  let c = charts.get(el);
  if (c === undefined || c.isDisposed()) {
    c = init(el, undefined, { renderer: 'canvas' });
    charts.set(el, c);
  }
  return c;
}

/** Drops the charts of a page that is gone. */
export function disposeCharts(): void {
  for (const c of charts.values()) c.dispose();
  charts.clear();
}

window.addEventListener('resize', () => {
  for (const c of charts.values()) c.resize();
});
