import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

/** Colours told apart by people with the common colour-vision deficiencies (Okabe–Ito), dark enough on white. */
const COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#7a6300', '#56b4e9', '#000000'];
const DASHES = [[], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [10, 4], [4, 4]];

/**
 * A time chart (uPlot, canvas) of values per day, as bars for one series or lines for several (each with its
 * own colour and dash, so never told apart by colour alone), with the same numbers as a table for anyone who
 * cannot see the chart.
 */
export default function Chart({ title, days, series, bars = false, hourly = false }: { title: string; days: string[]; series: ChartSeries[]; bars?: boolean; /** `days` are hours, `YYYY-MM-DDTHH` (UTC). */ hourly?: boolean }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (element === null || days.length === 0) return;
    const x = days.map((d) => Date.parse(hourly ? `${d}:00:00Z` : `${d}T00:00:00Z`) / 1000);
    const half = hourly ? 1_800 : 43_200;
    const plot = new uPlot(
      {
        width: Math.max(280, element.clientWidth),
        height: 220,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        // Half a day (an hour) either side, so that one day (or a few) draws as days, not as years of empty axis.
        scales: { x: { time: true, range: (_u, min, max) => [min - half, max + half] } },
        axes: [{}, { size: 60 }],
        legend: { show: series.length > 1 },
        series: [
          { label: hourly ? t('console.hourUtc') : t('console.day') },
          ...series.map((s, i) => ({
            label: s.label,
            stroke: COLOURS[i % COLOURS.length],
            width: 2,
            dash: DASHES[i % DASHES.length],
            ...(bars ? { fill: `${COLOURS[i % COLOURS.length]}99`, paths: uPlot.paths.bars?.({ size: [0.7, 40] }) } : {}),
          })),
        ],
      },
      [x, ...series.map((s) => s.values)],
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, element.clientWidth), height: 220 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [days, series, bars, hourly, t]);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      {days.length === 0 ? <p>{t('console.noData')}</p> : <div ref={box} role="img" aria-label={title} />}
      {days.length > 0 && (
        <details>
          <summary>{t('console.asTable')}</summary>
          <table>
            <thead>
              <tr>
                <th scope="col">{hourly ? t('console.hourUtc') : t('console.day')}</th>
                {series.map((s) => (
                  <th key={s.label} scope="col">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {days.map((d, i) => (
                <tr key={d}>
                  <th scope="row">{d}</th>
                  {series.map((s) => (
                    <td key={s.label}>{s.values[i] ?? 0}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </figure>
  );
}
