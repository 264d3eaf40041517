/** The state key main saves the container id under, for post to clean up. */
export const CONTAINER_STATE = 'container-id';
