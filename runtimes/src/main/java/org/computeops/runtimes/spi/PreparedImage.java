package org.computeops.runtimes.spi;

import java.nio.file.Path;

/**
 * An image made ready for one runtime.
 *
 * @param form       the form the runtime runs
 * @param reference  what the runtime is given: an image reference, a bundle or rootfs directory, a SquashFS file,
 *                   or a container name (udocker creates one container from the loaded image)
 * @param rootOnHost where the image's files lie on the host when they do (bundle/rootfs, Charliecloud dir); null
 *                   for images inside an engine's store or a SquashFS file
 * @param prepareSeconds seconds this runtime's own preparation took (load, create); the shared conversion steps are
 *                   in prepare.properties
 */
public record PreparedImage(ImageForm form, String reference, Path rootOnHost, double prepareSeconds) {}
