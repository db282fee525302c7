import { UrlReaderService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import { ANNOTATION_SLO_FILES } from '@internal/plugin-environments-common';
import fs from 'node:fs/promises';
import path from 'node:path';

/** SLO files larger than this are refused: they would be mistakes, not SLO definitions. */
const MAX_FILE_BYTES = 256 * 1024;
/** How many files one entity's patterns may match. */
const MAX_FILES = 50;

export interface SloFile {
  /** As shown to users: relative to the entity's source location. */
  path: string;
  content: string;
}

/** A pattern of the annotation that could not be read, with the reason. */
export interface SloFileError {
  file: string;
  message: string;
}

/** `*` and `?` within one path segment, the rest literal. */
function globToRegExp(pattern: string): RegExp {
  const wildcards: Record<string, string> = { '*': '[^/]*', '?': '[^/]' };
  const escaped = pattern
    .split('')
    .map(char => wildcards[char] ?? char.replace(/[.+^${}()|[\]\\]/g, '\\$&'))
    .join('');
  return new RegExp(`^${escaped}$`);
}

/**
 * Reads the OpenSLO files an entity names in `openslo.dev/slo-files` (comma-separated paths
 * or globs with `*` in the file name), relative to the entity's source location: its
 * `backstage.io/source-location`, or the folder of the catalog file that defines it. A path
 * may not leave that location.
 */
export class SloFiles {
  constructor(private readonly urlReader: UrlReaderService) {}

  async read(
    entity: Entity,
  ): Promise<{ files: SloFile[]; errors: SloFileError[] }> {
    const annotation = entity.metadata.annotations?.[ANNOTATION_SLO_FILES];
    if (!annotation) return { files: [], errors: [] };
    const base = this.baseLocation(entity);
    if (!base) {
      return {
        files: [],
        errors: [
          {
            file: annotation,
            message:
              'the entity has no source location to read its SLO files from',
          },
        ],
      };
    }
    const files: SloFile[] = [];
    const errors: SloFileError[] = [];
    for (const pattern of annotation
      .split(',')
      .map(p => p.trim())
      .filter(Boolean)) {
      try {
        const found =
          base.type === 'file'
            ? await this.readLocal(base.target, pattern)
            : await this.readRemote(base.target, pattern);
        if (found.length === 0) {
          errors.push({ file: pattern, message: 'no file matches' });
        }
        files.push(...found);
      } catch (error) {
        errors.push({ file: pattern, message: (error as Error).message });
      }
      if (files.length > MAX_FILES) {
        return {
          files: files.slice(0, MAX_FILES),
          errors: [
            ...errors,
            { file: pattern, message: `more than ${MAX_FILES} files` },
          ],
        };
      }
    }
    return { files, errors };
  }

  /**
   * `file:/dir/` or `url:https://host/repo/tree/main/dir/`, always ending in a slash. Files on
   * this machine are read only for entities the catalog itself read from a file here (the
   * demo, local development), and only within that file's folder: an entity cannot point
   * the backend at its own disk by writing a `file:` source location.
   */
  private baseLocation(
    entity: Entity,
  ): { type: 'file' | 'url'; target: string } | undefined {
    const annotations = entity.metadata.annotations ?? {};
    const managedBy = /^(file|url):(.+)$/.exec(
      annotations[ANNOTATION_LOCATION] ?? '',
    );
    const source = /^(file|url):(.+)$/.exec(
      annotations[ANNOTATION_SOURCE_LOCATION] ?? '',
    );
    if (managedBy?.[1] === 'file') {
      const catalogDir = `${path.resolve(path.dirname(managedBy[2]))}/`;
      const sourceDir =
        source?.[1] === 'file' ? `${path.resolve(source[2])}/` : undefined;
      return {
        type: 'file',
        target: sourceDir?.startsWith(catalogDir) ? sourceDir : catalogDir,
      };
    }
    const url =
      source?.[1] === 'url'
        ? source[2]
        : managedBy?.[2].replace(/[^/]*$/, '') ?? undefined;
    if (!url) return undefined;
    return { type: 'url', target: url.endsWith('/') ? url : `${url}/` };
  }

  private async readLocal(
    baseDir: string,
    pattern: string,
  ): Promise<SloFile[]> {
    const leaves = () =>
      new Error("the path leaves the entity's source location");
    const resolved = path.resolve(baseDir, pattern);
    if (!resolved.startsWith(baseDir)) throw leaves();
    const dir = path.dirname(resolved);
    const name = path.basename(resolved);
    if (/[*?]/.test(dir))
      throw new Error('only the file name may contain * or ?');
    const names = /[*?]/.test(name)
      ? (await fs.readdir(dir))
          .filter(entry => globToRegExp(name).test(entry))
          .sort()
      : [name];
    // Symbolic links may not lead out of the location either.
    const realBase = `${await fs.realpath(baseDir)}/`;
    const files: SloFile[] = [];
    for (const entry of names) {
      const file = path.join(dir, entry);
      const real = await fs.realpath(file).catch(() => undefined);
      if (!real) continue;
      if (!real.startsWith(realBase)) throw leaves();
      const stat = await fs.stat(real);
      if (!stat.isFile()) continue;
      if (stat.size > MAX_FILE_BYTES) {
        throw new Error(`${entry} is larger than ${MAX_FILE_BYTES / 1024} KiB`);
      }
      files.push({
        path: path.relative(baseDir, file),
        content: await fs.readFile(real, 'utf8'),
      });
    }
    return files;
  }

  private async readRemote(
    baseUrl: string,
    pattern: string,
  ): Promise<SloFile[]> {
    const url = new URL(pattern, baseUrl).toString();
    if (!url.startsWith(baseUrl)) {
      throw new Error("the path leaves the entity's source location");
    }
    const relative = (fileUrl: string) =>
      decodeURI(fileUrl.slice(baseUrl.length));
    if (/[*?]/.test(pattern)) {
      const result = await this.urlReader.search(url);
      return Promise.all(
        result.files.slice(0, MAX_FILES).map(async file => {
          const content = await file.content();
          if (content.length > MAX_FILE_BYTES) {
            throw new Error(
              `${relative(file.url)} is larger than ${
                MAX_FILE_BYTES / 1024
              } KiB`,
            );
          }
          return {
            path: relative(file.url),
            content: content.toString('utf8'),
          };
        }),
      );
    }
    const response = await this.urlReader.readUrl(url);
    const buffer = await response.buffer();
    if (buffer.length > MAX_FILE_BYTES) {
      throw new Error(`larger than ${MAX_FILE_BYTES / 1024} KiB`);
    }
    return [{ path: relative(url), content: buffer.toString('utf8') }];
  }
}
