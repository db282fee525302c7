import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { environmentsApiRef } from '../../api';
import { DeployedVersion } from './DeployedVersion';
import { DemoDataNote } from './DemoDataNote';
import { SourceStateNote } from './SourceStateNote';

/**
 * Which version of each component of a system runs in each of its environments, from the
 * deployments the plugin has synced; drift against the reference tier (production) is marked.
 */
export function VersionMatrix({ systemRefs }: { systemRefs: string[] }) {
  const api = useApi(environmentsApiRef);
  const [systemRef, setSystemRef] = useState(systemRefs[0] ?? '');
  const map = useAsync(
    () =>
      systemRef ? api.getVersionMap({ systemRef }) : Promise.resolve(undefined),
    [api, systemRef],
  );
  const titles = new Map(
    map.value?.environments.map(env => [env.entityRef, env.title ?? env.name]),
  );

  return (
    <InfoCard title="Deployed versions">
      <DemoDataNote what="these deployments" />
      <FormControl
        variant="outlined"
        size="small"
        style={{ minWidth: 240, marginBottom: 16 }}
      >
        <InputLabel id="version-matrix-system">System</InputLabel>
        <Select
          labelId="version-matrix-system"
          label="System"
          value={systemRef}
          onChange={event => setSystemRef(event.target.value as string)}
        >
          {systemRefs.map(ref => (
            <MenuItem key={ref} value={ref}>
              {humanizeEntityRef(parseEntityRef(ref), {
                defaultKind: 'system',
              })}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      {map.value?.failedSyncs.map(state => (
        <SourceStateNote
          key={`${state.entityRef} ${state.provider}`}
          state={state}
          subject={`Deployed versions of ${humanizeEntityRef(
            parseEntityRef(state.entityRef),
            { defaultKind: 'component' },
          )}`}
        />
      ))}
      {map.loading && <Progress />}
      {map.error && <ResponseErrorPanel error={map.error} />}
      {map.value && map.value.components.length === 0 && (
        <Typography variant="body2">
          No component belongs to this system.
        </Typography>
      )}
      {map.value && map.value.components.length > 0 && (
        <Table size="small" aria-label="Deployed versions">
          <TableHead>
            <TableRow>
              <TableCell>Component</TableCell>
              {map.value.environments.map(env => (
                <TableCell key={env.entityRef}>
                  {env.title ?? env.name}
                  <Typography
                    variant="caption"
                    display="block"
                    color="textSecondary"
                  >
                    {env.tier}
                  </Typography>
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {map.value.components.map(component => (
              <TableRow key={component.entityRef}>
                <TableCell>
                  {component.title ??
                    humanizeEntityRef(parseEntityRef(component.entityRef), {
                      defaultKind: 'component',
                    })}
                </TableCell>
                {map.value!.environments.map(env => (
                  <TableCell key={env.entityRef}>
                    <DeployedVersion
                      cell={map.value!.cells.find(
                        cell =>
                          cell.entityRef === component.entityRef &&
                          cell.environmentRef === env.entityRef,
                      )}
                      referenceName={ref => titles.get(ref) ?? ref}
                    />
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}
