package org.cnn4j.model;

/**
 * What a progress bar needs after each batch.
 *
 * @param batch batches done in this epoch (1-based)
 * @param batches batches in the epoch
 * @param samples samples seen in this epoch so far
 * @param loss running mean training loss over the epoch
 * @param accuracy running mean training accuracy over the epoch
 * @param imagesPerSecond training throughput so far in this epoch
 * @param elapsedSeconds time since the epoch began
 */
public record BatchStats(int batch, int batches, int samples, double loss, double accuracy,
                         double imagesPerSecond, double elapsedSeconds) {
}
