import { UrlReaderService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SloFiles } from './SloFiles';

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout', annotations },
    spec: {},
  };
}

describe('SloFiles', () => {
  describe('next to a catalog file on disk', () => {
    let dir: string;
    const files = new SloFiles(mockServices.urlReader.mock());
    const at = (annotation: string) =>
      entity({
        'backstage.io/managed-by-location': `file:${dir}/service/catalog-info.yaml`,
        'openslo.dev/slo-files': annotation,
      });

    beforeAll(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tem-slo-files-'));
      await fs.mkdir(path.join(dir, 'service', 'slo'), { recursive: true });
      await fs.writeFile(path.join(dir, 'service', 'slo', 'a.yaml'), 'a: 1');
      await fs.writeFile(path.join(dir, 'service', 'slo', 'b.yaml'), 'b: 2');
      await fs.writeFile(path.join(dir, 'service', 'slo', 'notes.md'), '#');
      await fs.writeFile(
        path.join(dir, 'service', 'slo', 'huge.yaml'),
        'x'.repeat(300 * 1024),
      );
      await fs.writeFile(path.join(dir, 'secret.yaml'), 'password: x');
    });
    afterAll(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('reads paths and globs relative to the catalog file', async () => {
      expect(await files.read(at('./slo/?.yaml, slo/b.yaml'))).toEqual({
        files: [
          { path: 'slo/a.yaml', content: 'a: 1' },
          { path: 'slo/b.yaml', content: 'b: 2' },
          { path: 'slo/b.yaml', content: 'b: 2' },
        ],
        errors: [],
      });
    });

    it('refuses paths that leave the location, huge files, and says what matched nothing', async () => {
      expect(
        await files.read(at('../secret.yaml, slo/huge.yaml, slo/*.json')),
      ).toEqual({
        files: [],
        errors: [
          {
            file: '../secret.yaml',
            message: "the path leaves the entity's source location",
          },
          {
            file: 'slo/huge.yaml',
            message: 'huge.yaml is larger than 256 KiB',
          },
          { file: 'slo/*.json', message: 'no file matches' },
        ],
      });
      expect((await files.read(at(`${dir}/secret.yaml`))).errors).toEqual([
        {
          file: `${dir}/secret.yaml`,
          message: "the path leaves the entity's source location",
        },
      ]);
    });

    it('never reads the disk for an entity the catalog did not read from disk', async () => {
      const fromRepository = entity({
        'backstage.io/managed-by-location':
          'url:https://github.com/acme/payments-api/blob/main/catalog-info.yaml',
        'backstage.io/source-location': `file:${dir}/`,
        'openslo.dev/slo-files': 'secret.yaml',
      });
      const urlReader = mockServices.urlReader.mock({
        readUrl: async (url: string) => {
          throw new Error(`not found: ${url}`);
        },
      });
      const { files: read, errors } = await new SloFiles(urlReader).read(
        fromRepository,
      );
      expect(read).toEqual([]);
      // Resolved against the repository, never the local folder.
      expect(errors[0].message).toBe(
        'not found: https://github.com/acme/payments-api/blob/main/secret.yaml',
      );
    });

    it('does not follow symbolic links out of the location', async () => {
      await fs.symlink(
        path.join(dir, 'secret.yaml'),
        path.join(dir, 'service', 'slo', 'link.yaml'),
      );
      try {
        expect((await files.read(at('slo/link.yaml'))).errors).toEqual([
          {
            file: 'slo/link.yaml',
            message: "the path leaves the entity's source location",
          },
        ]);
      } finally {
        await fs.rm(path.join(dir, 'service', 'slo', 'link.yaml'));
      }
    });

    it('needs a location to read from', async () => {
      expect(
        await files.read(entity({ 'openslo.dev/slo-files': 'slo/a.yaml' })),
      ).toEqual({
        files: [],
        errors: [
          {
            file: 'slo/a.yaml',
            message:
              'the entity has no source location to read its SLO files from',
          },
        ],
      });
    });
  });

  describe('in a repository', () => {
    const base = 'https://github.com/acme/checkout/tree/main/';
    const urlReader = mockServices.urlReader.mock({
      readUrl: async (url: string) => ({
        buffer: async () => Buffer.from(`read ${url}`),
        stream: () => {
          throw new Error('not used');
        },
      }),
      search: async (url: string) => ({
        etag: 'e',
        files: [
          {
            url: url.replace('*', 'availability'),
            content: async () => Buffer.from('slo'),
          },
        ],
      }),
    } as Partial<UrlReaderService>);
    const files = new SloFiles(urlReader);
    const at = (annotation: string) =>
      entity({
        'backstage.io/source-location': `url:${base}`,
        'openslo.dev/slo-files': annotation,
      });

    it('reads through the URL reader relative to the source location', async () => {
      expect(await files.read(at('slo/latency.yaml, slo/*.yaml'))).toEqual({
        files: [
          {
            path: 'slo/latency.yaml',
            content: `read ${base}slo/latency.yaml`,
          },
          { path: 'slo/availability.yaml', content: 'slo' },
        ],
        errors: [],
      });
      expect(urlReader.search).toHaveBeenCalledWith(`${base}slo/*.yaml`);
    });

    it('never follows a path or URL out of the source location', async () => {
      const outside = [
        '../../other-repo/slo.yaml',
        'https://evil.example.com/slo.yaml',
        // URL parsers read these as the same escapes in disguise.
        '%2e%2e/%2E%2E/other-repo/slo.yaml',
        '..\\..\\other-repo\\slo.yaml',
        '//evil.example.com/slo.yaml',
        'file:///etc/passwd',
        'slo/../../../*.yaml',
      ];
      const { files: read, errors } = await files.read(at(outside.join(', ')));
      expect(read).toEqual([]);
      expect(errors).toEqual(
        outside.map(file => ({
          file,
          message: "the path leaves the entity's source location",
        })),
      );
      expect(urlReader.readUrl).not.toHaveBeenCalledWith(
        expect.not.stringMatching(
          /^https:\/\/github\.com\/acme\/checkout\/tree\/main\//,
        ),
      );
      expect(urlReader.search).not.toHaveBeenCalledWith(
        expect.not.stringMatching(
          /^https:\/\/github\.com\/acme\/checkout\/tree\/main\//,
        ),
      );
    });
  });
});
