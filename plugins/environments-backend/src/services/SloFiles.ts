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

  /** `file:/dir/` or `url:https://host/repo/tree/main/dir/`, always ending in a slash. */
  private baseLocation(
    entity: Entity,
  ): { type: 'file' | 'url'; target: string } | undefined {
    const annotations = entity.metadata.annotations ?? {};
    const location =
      annotations[ANNOTATION_SOURCE_LOCATION] ??
      annotations[ANNOTATION_LOCATION];
    const match = location && /^(file|url):(.+)$/.exec(location);
    if (!match) return undefined;
    const [, type, target] = match;
    const isSource = Boolean(annotations[ANNOTATION_SOURCE_LOCATION]);
    if (type === 'file') {
      // A file location names the catalog file; its folder is the base.
      const dir =
        isSource && target.endsWith('/') ? target : path.dirname(target);
      return { type: 'file', target: `${path.resolve(dir)}/` };
    }
    const folder = isSource ? target : target.replace(/[^/]*$/, '');
    return {
      type: 'url',
      target: folder.endsWith('/') ? folder : `${folder}/`,
    };
  }

  private async readLocal(
    baseDir: string,
    pattern: string,
  ): Promise<SloFile[]> {
    const resolved = path.resolve(baseDir, pattern);
    if (!resolved.startsWith(baseDir)) {
      throw new Error("the path leaves the entity's source location");
    }
    const dir = path.dirname(resolved);
    const name = path.basename(resolved);
    if (/[*?]/.test(dir))
      throw new Error('only the file name may contain * or ?');
    const names = /[*?]/.test(name)
      ? (await fs.readdir(dir))
          .filter(entry => globToRegExp(name).test(entry))
          .sort()
      : [name];
    const files: SloFile[] = [];
    for (const entry of names) {
      const file = path.join(dir, entry);
      const stat = await fs.stat(file).catch(() => undefined);
      if (!stat?.isFile()) continue;
      if (stat.size > MAX_FILE_BYTES) {
        throw new Error(`${entry} is larger than ${MAX_FILE_BYTES / 1024} KiB`);
      }
      files.push({
        path: path.relative(baseDir, file),
        content: await fs.readFile(file, 'utf8'),
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
        result.files.slice(0, MAX_FILES).map(async file => ({
          path: relative(file.url),
          content: (await file.content()).toString('utf8'),
        })),
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
