/** The state key main saves the cleanup plan under, for the post step. */
export const SETUP_STATE = 'xplat-setup';
