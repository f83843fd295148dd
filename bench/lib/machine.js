/** A one-line description of the machine, for every published number. */
import { cpus, totalmem, release } from 'node:os';

/** CPU model, cores, memory, kernel and Node version. */
export function machineInfo() {
  const cpu = cpus();
  const model = (cpu[0]?.model ?? 'unknown CPU').trim();
  const cores = cpu.length;
  const memGb = Math.round(totalmem() / 2 ** 30);
  const info = { cpu: model, cores, memGb, node: process.version, kernel: release() };
  return { ...info, summary: `${cores} cores (${model}), ${memGb} GB RAM, Node ${process.version}, Linux ${release()}` };
}
