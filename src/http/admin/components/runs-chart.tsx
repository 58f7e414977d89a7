import type { HourBucket } from '../../../store/run-stats'

const W = 720
const H = 180
const PAD = { top: 12, right: 40, bottom: 22, left: 34 }

/**
 * Runs per hour as stacked bars (succeeded, failed, other) and the success rate as a line, in
 * inline SVG: no script, no library, and it scales to the card's width.
 */
export function RunsChart({ hours }: { hours: HourBucket[] }) {
  const plotW = W - PAD.left - PAD.right
  const plotH = H - PAD.top - PAD.bottom
  const max = Math.max(1, ...hours.map((h) => h.runs))
  const slot = plotW / hours.length
  const barW = Math.max(2, slot - 3)
  const y = (count: number) => PAD.top + plotH - (count / max) * plotH
  const x = (i: number) => PAD.left + i * slot + (slot - barW) / 2
  const rated = hours
    .map((h, i) => ({
      i,
      finished: h.succeeded + h.failed,
      rate: h.succeeded / (h.succeeded + h.failed),
    }))
    .filter((p) => p.finished > 0)
  const rateY = (rate: number) => PAD.top + plotH - rate * plotH
  const total = hours.reduce((n, h) => n + h.runs, 0)
  const busiest = hours.reduce((a, b) => (b.runs > a.runs ? b : a), hours[0]!)
  return (
    <figure class="chart-figure">
      <svg
        class="chart"
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby="chart-title chart-desc"
        preserveAspectRatio="xMidYMid meet"
      >
        <title id="chart-title">Runs per hour over the last 24 hours, and the success rate</title>
        <desc id="chart-desc">
          {total === 0
            ? 'No runs in the last 24 hours.'
            : `${total} runs; the busiest hour, starting ${hourLabel(busiest.start)} UTC, had ${busiest.runs}.`}
        </desc>
        <line class="axis" x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} />
        <line class="axis" x1={PAD.left} x2={W - PAD.right} y1={y(max)} y2={y(max)} />
        <text x={PAD.left - 6} y={y(max) + 4} text-anchor="end">
          {max}
        </text>
        <text x={PAD.left - 6} y={y(0) + 4} text-anchor="end">
          0
        </text>
        <text x={W - PAD.right + 6} y={rateY(1) + 4}>
          100%
        </text>
        <text x={W - PAD.right + 6} y={rateY(0) + 4}>
          0%
        </text>
        {hours.map((h, i) => {
          const other = h.runs - h.succeeded - h.failed
          const okTop = y(h.succeeded)
          const badTop = y(h.succeeded + h.failed)
          return (
            <g>
              <title>{`${hourLabel(h.start)} UTC: ${h.runs} runs, ${h.succeeded} succeeded, ${h.failed} failed`}</title>
              {h.succeeded ? (
                <rect class="ok" x={x(i)} y={okTop} width={barW} height={y(0) - okTop} />
              ) : null}
              {h.failed ? (
                <rect class="bad" x={x(i)} y={badTop} width={barW} height={okTop - badTop} />
              ) : null}
              {other > 0 ? (
                <rect
                  class="other"
                  x={x(i)}
                  y={y(h.runs)}
                  width={barW}
                  height={badTop - y(h.runs)}
                />
              ) : null}
              {i % 6 === 0 ? (
                <text x={x(i)} y={H - 6}>
                  {hourLabel(h.start)}
                </text>
              ) : null}
            </g>
          )
        })}
        {rated.length > 1 ? (
          <polyline
            class="rate"
            points={rated.map((p) => `${x(p.i) + barW / 2},${rateY(p.rate)}`).join(' ')}
          />
        ) : null}
        {rated.map((p) => (
          <circle class="rate" cx={x(p.i) + barW / 2} cy={rateY(p.rate)} r="2.5" />
        ))}
      </svg>
      <figcaption class="legend">
        <span>
          <span class="swatch" style="background: var(--ok)" />
          succeeded
        </span>
        <span>
          <span class="swatch" style="background: var(--bad)" />
          failed or with errors
        </span>
        <span>
          <span class="swatch" style="background: var(--info)" />
          queued or running
        </span>
        <span>
          <span class="swatch" style="background: var(--warn)" />
          success rate (right axis)
        </span>
      </figcaption>
    </figure>
  )
}

function hourLabel(ms: number) {
  return new Date(ms).toISOString().slice(11, 16)
}
