/** The scope strings of series (the one place they are built), shared by the cluster layer and the panel. */

/** The scope of a pod's series: "pod:<ns>/<name>". */
export const podScope = (namespace: string, name: string): string => `pod:${namespace}/${name}`;
/** The scope of a container's series: "container:<ns>/<pod>/<name>". */
export const containerScope = (namespace: string, pod: string, container: string): string =>
  `container:${namespace}/${pod}/${container}`;
