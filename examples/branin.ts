// The Branin function (Dixon & Szegő 1978), a standard 2-D test of global optimisers: three global minima of
// 0.397887 at (−π, 12.275), (π, 2.275) and (9.42478, 2.475). Run it with
//   npx tune --objective examples/branin.ts --trials 60 --study b --seed 1
import { defineObjective, float } from 'parzen';

export default defineObjective({
  space: { x: float(-5, 10), y: float(0, 15) },
  direction: 'minimize',
  metric: 'branin',
  run: ({ x, y }) => {
    const b = 5.1 / (4 * Math.PI ** 2);
    const c = 5 / Math.PI;
    const t = 1 / (8 * Math.PI);
    return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - t) * Math.cos(x) + 10;
  },
});
