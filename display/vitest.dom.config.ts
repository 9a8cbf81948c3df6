import { displayProject, DOM_TESTS } from './vitest.config.ts';

/** Display component tests, and the modules that need a DOM (see DOM_TESTS), in happy-dom. */
export default displayProject({ name: 'display-dom', environment: 'happy-dom', include: DOM_TESTS });
