/** The pod QoS class (KEP-ish name from the API: `status.qosClass`), used by both engines and the cluster layer. */
export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';
