import type { CreateSourceRequest } from '../../src/contracts/index.js';
import type { DataverseEmulatorOptions } from '../../src/emulators/dataverse/index.js';
import { startInProcessEmulator, type CrmLeadRow, type InProcessEmulator } from './fault-emulators.js';
import {
  prepareLeadbridge,
  startLeadbridge,
  type PreparedLeadbridge,
  type RunningLeadbridge,
} from './leadbridge-under-test.js';

/** One emulator in this process, one `leadbridge start` process connected to it, one source. */
export interface FaultScenario {
  readonly crm: InProcessEmulator;
  readonly prepared: PreparedLeadbridge;
  readonly leadbridge: RunningLeadbridge;
  close(): Promise<void>;
}

export async function startFaultScenario(options: {
  readonly emulator: DataverseEmulatorOptions;
  readonly beforeAnswer?: Parameters<typeof startInProcessEmulator>[1];
  readonly source?: Partial<CreateSourceRequest>;
  readonly batchSize?: number;
}): Promise<FaultScenario> {
  const crm = await startInProcessEmulator(options.emulator, options.beforeAnswer);
  try {
    const prepared = await prepareLeadbridge(crm, { name: 'Fault test', ...options.source });
    const leadbridge = await startLeadbridge(prepared, {
      ...(options.batchSize !== undefined && { batchSize: options.batchSize }),
    });
    return {
      crm,
      prepared,
      leadbridge,
      async close() {
        await leadbridge.process.stop();
        await crm.close();
        prepared.remove();
      },
    };
  } catch (error) {
    await crm.close();
    throw error;
  }
}

/** Runs `body` against a fresh scenario and stops its processes afterwards, however it ended. */
export async function withFaultScenario(
  options: Parameters<typeof startFaultScenario>[0],
  body: (scenario: FaultScenario) => Promise<void>,
): Promise<void> {
  const scenario = await startFaultScenario(options);
  try {
    await body(scenario);
  } finally {
    await scenario.close();
  }
}

/** The leads of the CRM whose e-mail is at `domain`. */
export function crmLeadsAt(scenario: FaultScenario, domain: string): CrmLeadRow[] {
  return scenario.crm.leads().filter((row) => row.emailaddress1.endsWith(`@${domain}`));
}

/** `count` people with e-mails at `domain`, each with an idempotency key. */
export function people(
  count: number,
  domain: string,
  extra: (i: number) => Record<string, unknown> = () => ({}),
) {
  return Array.from({ length: count }, (_, i) => ({
    email: `person${i}@${domain}`,
    firstName: `First${i}`,
    lastName: `Last${i}`,
    company: `Company ${i % 13}`,
    externalId: `${domain}-${i}`,
    ...extra(i),
  }));
}
