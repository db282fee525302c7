/**
 * Extension points of the environments backend plugin.
 *
 * @packageDocumentation
 */
export * from './ciProviders';
export * from './sliSources';
export * from './ciHttp';
