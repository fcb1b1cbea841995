/**
 * The most OOMScope reads from one input (a manifest, a kernel log, a PSI series), in the CLI
 * and in the panel's Import Kernel OOM Log…: one limit for the product, said the same way everywhere.
 */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** MAX_INPUT_BYTES in words, for messages. */
export const MAX_INPUT_TEXT = '64 MiB';
