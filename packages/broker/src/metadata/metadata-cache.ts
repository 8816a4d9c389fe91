import type { ClusterImage } from './cluster-image.js';

/**
 * The broker's current view of cluster metadata. Handlers read `image` (an immutable snapshot);
 * the controller (local or ZooKeeper-driven) publishes new images.
 */
export class MetadataCache {
  private current: ClusterImage;
  private readonly listeners = new Set<(image: ClusterImage, previous: ClusterImage) => void>();

  constructor(initial: ClusterImage) {
    this.current = initial;
  }

  get image(): ClusterImage {
    return this.current;
  }

  publish(image: ClusterImage): void {
    const previous = this.current;
    this.current = image;
    for (const listener of this.listeners) listener(image, previous);
  }

  onPublish(listener: (image: ClusterImage, previous: ClusterImage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
