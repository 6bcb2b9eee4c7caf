import { useRef, useState } from 'react';
import { Button, FileInput, Group, Progress, Stack, Text } from '@mantine/core';
import { IconFileTypeCsv, IconFlask, IconUpload } from '@tabler/icons-react';
import type { CsvImportResult, DryRunResult, Source } from '@contracts';
import { type ApiClientError, toApiClientError } from '../api/api-client-error.js';
import { useSyncApi } from '../api/use-feature-apis.js';
import { ErrorAlert } from '../components/error-alert.js';
import { useSession } from '../session/session-context.js';
import { CsvHeaderMapping } from './csv-header-mapping.js';
import { CsvImportResultView } from './csv-import-result.js';
import { type CsvSample, guessField, readCsvSample, rowToLead } from './csv-text.js';
import { type CsvUpload, type UploadProgress, uploadCsv } from './csv-upload.js';
import { DryRunResultView } from './dry-run-result.js';

// The header and first rows of even a wide file fit in this much; the rest is never read in the browser.
const SAMPLE_BYTES = 1_000_000;
const DRY_RUN_ROWS = 100;

const DELIMITER_NAMES = { ',': 'commas', ';': 'semicolons', '\t': 'tabs' } as const;

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

type Run =
  | { readonly kind: 'idle' }
  | { readonly kind: 'uploading' }
  | { readonly kind: 'imported'; readonly result: CsvImportResult }
  | { readonly kind: 'dry_running' }
  | { readonly kind: 'dry_run'; readonly result: DryRunResult }
  | { readonly kind: 'failed'; readonly title: string; readonly error: ApiClientError };

/**
 * A CSV file into this source: the browser reads only the header and first rows (to map headers and
 * to dry-run), the file itself streams to the server with a progress bar.
 */
export function CsvImportPanel({ source }: { readonly source: Source }) {
  const { api } = useSession();
  const sync = useSyncApi();
  const [file, setFile] = useState<File | null>(null);
  const [sample, setSample] = useState<CsvSample>();
  const [readError, setReadError] = useState<string>();
  const [mapping, setMapping] = useState<Record<string, string | null>>({});
  const [run, setRun] = useState<Run>({ kind: 'idle' });
  // Kept after the upload, so the bar shows the file went up whole next to the result.
  const [progress, setProgress] = useState<UploadProgress>();
  const upload = useRef<CsvUpload | undefined>(undefined);

  const choose = async (chosen: File | null) => {
    setFile(chosen);
    setSample(undefined);
    setReadError(undefined);
    setRun({ kind: 'idle' });
    setProgress(undefined);
    if (!chosen) return;
    try {
      const text = await chosen.slice(0, SAMPLE_BYTES).text();
      const read = readCsvSample(text, DRY_RUN_ROWS, chosen.size <= SAMPLE_BYTES);
      if (read.headers.length === 0) throw new Error('the file has no header line');
      setSample(read);
      setMapping(
        Object.fromEntries(read.headers.map((header) => [header, guessField(header, source.fields)])),
      );
    } catch (error) {
      setReadError(`The file cannot be read: ${error instanceof Error ? error.message : String(error)}.`);
    }
  };

  const chosenMapping = (): Record<string, string> =>
    Object.fromEntries(
      Object.entries(mapping).filter((entry): entry is [string, string] => entry[1] !== null),
    );

  const startImport = async () => {
    if (!file) return;
    setRun({ kind: 'uploading' });
    setProgress({ sentBytes: 0, totalBytes: file.size });
    upload.current = uploadCsv(api, source.id, file, chosenMapping(), setProgress);
    try {
      const result = await upload.current.result;
      // The answer comes after the last byte was read, whatever the last progress event said.
      setProgress({ sentBytes: file.size, totalBytes: file.size });
      setRun({ kind: 'imported', result });
    } catch (error) {
      setRun({ kind: 'failed', title: 'The file was not imported', error: toApiClientError(error) });
    } finally {
      upload.current = undefined;
    }
  };

  const dryRun = async () => {
    if (!sample) return;
    const leads = sample.rows.map((row) => rowToLead(sample.headers, row, mapping));
    if (leads.length === 0) return;
    setRun({ kind: 'dry_running' });
    setProgress(undefined);
    try {
      setRun({ kind: 'dry_run', result: await sync.dryRun({ sourceId: source.id, leads }) });
    } catch (error) {
      setRun({ kind: 'failed', title: 'The dry run failed', error: toApiClientError(error) });
    }
  };

  const uploading = run.kind === 'uploading';
  const mappedCount = Object.values(mapping).filter((field) => field !== null).length;
  const sent = progress;
  const percent = sent && sent.totalBytes > 0 ? Math.min(100, (sent.sentBytes / sent.totalBytes) * 100) : 0;

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed" maw={760}>
        The first line holds the headers. Commas, semicolons (as German Excel writes) and tabs all work. Each
        row is checked against the source’s fields; rows with problems are listed by their row number and the
        rest are imported.
      </Text>
      <FileInput
        label="CSV file"
        placeholder="Choose a .csv file"
        accept=".csv,text/csv"
        leftSection={<IconFileTypeCsv size={18} />}
        value={file}
        onChange={(chosen) => void choose(chosen)}
        clearable
        disabled={uploading}
        maw={480}
        {...(readError ? { error: readError } : {})}
      />
      {file && sample && (
        <>
          <Text size="sm">
            {file.name} · {formatBytes(file.size)} · {sample.headers.length} columns separated by{' '}
            {DELIMITER_NAMES[sample.delimiter]}
          </Text>
          <CsvHeaderMapping
            sample={sample}
            fields={source.fields}
            mapping={mapping}
            onChange={(header, field) => setMapping((current) => ({ ...current, [header]: field }))}
          />
          <Group gap="sm">
            <Button
              leftSection={<IconUpload size={16} />}
              onClick={() => void startImport()}
              loading={uploading}
              disabled={mappedCount === 0 || run.kind === 'dry_running'}
            >
              Import
            </Button>
            <Button
              variant="default"
              leftSection={<IconFlask size={16} />}
              onClick={() => void dryRun()}
              loading={run.kind === 'dry_running'}
              disabled={mappedCount === 0 || uploading || sample.rows.length === 0}
            >
              Dry run (first {Math.min(DRY_RUN_ROWS, sample.rows.length)} rows)
            </Button>
            {uploading && (
              <Button variant="subtle" color="red" onClick={() => upload.current?.abort()}>
                Cancel
              </Button>
            )}
          </Group>
        </>
      )}
      {sent && (
        <Stack gap={4}>
          <Progress
            value={percent}
            size="lg"
            striped={uploading}
            animated={uploading}
            aria-label="Upload progress"
            {...(run.kind === 'imported' ? { color: 'green' } : {})}
          />
          <Text size="xs" c="dimmed">
            {!uploading
              ? `${formatBytes(sent.sentBytes)} of ${formatBytes(sent.totalBytes)} uploaded`
              : percent >= 100
                ? 'Uploaded; storing the last rows…'
                : `${formatBytes(sent.sentBytes)} of ${formatBytes(sent.totalBytes)} sent (${Math.floor(percent)}%)`}
          </Text>
        </Stack>
      )}
      {run.kind === 'failed' && <ErrorAlert title={run.title} error={run.error} />}
      {run.kind === 'imported' && <CsvImportResultView result={run.result} />}
      {run.kind === 'dry_run' && (
        // Rows of the sample in file order; a spreadsheet counts the header as row 1.
        <DryRunResultView result={run.result} labelOf={(index) => `Row ${index + 2}`} />
      )}
    </Stack>
  );
}
