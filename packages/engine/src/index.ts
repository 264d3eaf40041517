export * from './containers.js';
export * from './docker.js';
export * from './host.js';
export * from './images.js';
