package org.computeops.orchestrators.kubernetes;

import org.computeops.orchestrators.spi.AdapterException;

import java.lang.reflect.InvocationTargetException;

/**
 * A k3s cluster in a container, through Testcontainers' k3s module, for machines that reach a
 * container registry ({@code -Dtestbed.kubernetes=k3s}). Loaded reflectively so that the
 * adapter builds and runs without the module: add {@code org.testcontainers:k3s} to the
 * classpath to use it.
 */
final class K3sCluster {

    static final String DEFAULT_IMAGE = "rancher/k3s:v1.35.4-k3s1";

    private final Object container;
    private final String image;
    private final String kubeconfigYaml;

    private K3sCluster(Object container, String image, String kubeconfigYaml) {
        this.container = container;
        this.image = image;
        this.kubeconfigYaml = kubeconfigYaml;
    }

    static K3sCluster start(String image) {
        Class<?> containerClass;
        Class<?> imageClass;
        try {
            containerClass = Class.forName("org.testcontainers.k3s.K3sContainer");
            imageClass = Class.forName("org.testcontainers.utility.DockerImageName");
        } catch (ClassNotFoundException e) {
            throw new AdapterException("-Dtestbed.kubernetes=k3s needs Testcontainers' k3s module (org.testcontainers:k3s)"
                    + " on the test classpath, a Docker engine and a reachable registry; without them use the local testbed"
                    + " (`infra/testbed up kubernetes`) or -Dtestbed.kubeconfig=PATH");
        }
        Object container = null;
        try {
            Object imageName = imageClass.getMethod("parse", String.class).invoke(null, image);
            container = containerClass.getConstructor(imageClass).newInstance(imageName);
            containerClass.getMethod("start").invoke(container);
            String yaml = (String) containerClass.getMethod("getKubeConfigYaml").invoke(container);
            return new K3sCluster(container, image, yaml);
        } catch (InvocationTargetException e) {
            stopQuietly(container);
            Throwable cause = e.getCause();
            throw new AdapterException("starting k3s (" + image + ") through Testcontainers failed: "
                    + (cause == null ? e : cause).getMessage()
                    + ". It needs a Docker engine and a registry that serves the image (set testbed.k3s.image).");
        } catch (ReflectiveOperationException e) {
            stopQuietly(container);
            throw new AdapterException("the Testcontainers k3s module on the classpath has an unexpected API: " + e);
        }
    }

    String image() {
        return image;
    }

    String kubeconfigYaml() {
        return kubeconfigYaml;
    }

    void stop() {
        stopQuietly(container);
    }

    private static void stopQuietly(Object container) {
        if (container == null) return;
        try {
            container.getClass().getMethod("stop").invoke(container);
        } catch (ReflectiveOperationException | RuntimeException ignored) {
            // best effort
        }
    }
}
