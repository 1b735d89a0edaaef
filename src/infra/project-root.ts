import path from 'node:path';

/** The repository root, whether running from src/ (tsx, jest) or dist/ (built). */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
