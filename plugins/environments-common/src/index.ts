/**
 * Types, annotation keys, permissions and pure rules shared by the environments plugin packages.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './types';
export * from './admin';
export * from './environmentEntity';
export * from './intervals';
export * from './permissions';
export * from './slo';
export * from './ci';
export * from './teams';
export * from './analytics';
export * from './dora';
