import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { print, printJson } from './shared.js';

/**
 * `tune doctor`: what this machine gives parzen's training — Node, cores, and which matrix products run on the
 * wasm backend (the native addon over the system BLAS, or wasm's own and why), and whether the fused kernels' loops
 * run in C (the same addon) or JS. Loads no TensorFlow.js.
 */
export function registerDoctorCommand(y: Argv): Argv {
  return y.command(
    'doctor',
    'show the runtime parzen trains on: Node, cores, and whether matrix products are native (BLAS) or wasm',
    (b) => b.option('json', { type: 'boolean', default: false, describe: 'print JSON' }),
    async (a) => {
      const { matmulStatus } = await import('../../ml/kernels/native-blas.js');
      const m = matmulStatus();
      const { nativeKernelsSummary } = await import('../../ml/kernels/native-kernels.js');
      const kernels = nativeKernelsSummary();
      const report = {
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        cores: availableParallelism(),
        matmul: m.summary,
        kernels,
        native_addon: m.addonPath,
        blas: m.blasConfig,
        blas_threads: m.threads,
        env: {
          PARZEN_NATIVE: process.env['PARZEN_NATIVE'] ?? null,
          PARZEN_NATIVE_THREADS: process.env['PARZEN_NATIVE_THREADS'] ?? null,
          PARZEN_NATIVE_KERNELS: process.env['PARZEN_NATIVE_KERNELS'] ?? null,
        },
      };
      if (a.json) return printJson(report);
      print(
        [
          `node      ${report.node} (${report.platform}, ${report.cores} cores)`,
          `matmul    ${report.matmul}`,
          `kernels   ${kernels}`,
          ...(m.kind === 'native' ? [`addon     ${m.addonPath}`, `blas      ${m.blasConfig}`] : []),
        ].join('\n'),
      );
    },
  );
}
