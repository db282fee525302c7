import { configApiRef, useApi } from '@backstage/core-plugin-api';
import Alert from '@material-ui/lab/Alert';

/** Labels data as generated when the portal runs the demo (`environments.demoData`). */
export function DemoDataNote({ what }: { what: string }) {
  const config = useApi(configApiRef);
  if (!config.getOptionalBoolean('environments.demoData')) return null;
  return (
    <Alert severity="info" style={{ marginBottom: 8 }}>
      Demo data: {what} come from local fake servers started by yarn dev:demo.
    </Alert>
  );
}
