package org.computeops.orchestrators.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.computeops.orchestrators.spi.AdapterException;

import javax.net.ssl.SSLException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Turns fabric8 failures into messages for the person running the scenarios: what was tried,
 * against which API server and kubeconfig, what the server (or the network) said, and what to do.
 */
final class KubernetesErrors {

    private KubernetesErrors() {
    }

    /**
     * @param action what the adapter was doing, e.g. "creating namespace co-run-1"
     * @param endpoint the API server URL
     * @param source where the credentials came from (kubeconfig path, "k3s container", ...)
     */
    static AdapterException translate(String action, RuntimeException e, String endpoint, String source) {
        if (e instanceof AdapterException t) return t;
        String hint = " Kubeconfig: " + source + ".";
        int code = e instanceof KubernetesClientException k ? k.getCode() : 0;
        String serverSays = serverMessage(e);
        switch (code) {
            case 401:
                return error("the Kubernetes API server at " + endpoint + " rejected the credentials while "
                        + action + " (401 Unauthorized): the kubeconfig's client certificate or token is expired, revoked "
                        + "or belongs to another cluster." + hint
                        + " For the local testbed run `infra/testbed up kubernetes` to regenerate it.", e);
            case 403:
                if (serverSays.contains("system:anonymous")) {
                    return error("the Kubernetes API server at " + endpoint + " did not accept the kubeconfig's credentials"
                            + " while " + action + " (it treated the request as anonymous: 403): the client certificate is"
                            + " expired or signed by another cluster's CA, or the token is unknown." + hint
                            + " For the local testbed run `infra/testbed up kubernetes` to regenerate it.", e);
                }
                return error("forbidden while " + action + " (403): " + serverSays
                        + ". The kubeconfig's user lacks the RBAC rights for it; grant them (namespaces, jobs, deployments, "
                        + "services, pods, events) or use -Dtestbed.kubernetes.namespace=NAME for a namespace it may use." + hint, e);
            case 404:
                return error("not found while " + action + " (404): " + serverSays + "." + hint, e);
            case 409:
                return error("conflict while " + action + " (409): " + serverSays
                        + ". An object of that name already exists in this run: give workloads distinct names.", e);
            case 422:
            case 400:
                return error("the API server refused the request while " + action + " (" + code + "): "
                        + serverSays, e);
            default:
                break;
        }
        Throwable root = rootCause(e);
        if (root instanceof ConnectException || root instanceof NoRouteToHostException
                || root instanceof UnknownHostException || root instanceof UnresolvedAddressException
                || mentions(root, "connection refused")) {
            return error("cannot reach the Kubernetes API server at " + endpoint + " while " + action
                    + " (" + describe(root) + "). Start the local testbed with `infra/testbed up kubernetes`, or point "
                    + "-Dtestbed.kubeconfig (or KUBECONFIG) at a cluster that is up." + hint, e);
        }
        if (inChain(e, SSLException.class) || inChain(e, CertificateException.class)
                || inChain(e, java.security.GeneralSecurityException.class)
                || mentions(root, "PKIX") || mentions(root, "certificat")) {
            return error("TLS with the Kubernetes API server at " + endpoint + " failed while " + action
                    + " (" + describe(root) + "): the kubeconfig's certificate-authority does not match the server, or "
                    + "its client certificate is invalid." + hint, e);
        }
        if (root instanceof SocketTimeoutException || root instanceof TimeoutException
                || root instanceof InterruptedIOException || mentions(root, "timed out") || mentions(root, "timeout")) {
            return error("the Kubernetes API server at " + endpoint + " did not answer in time while "
                    + action + " (" + describe(root) + ")." + hint, e);
        }
        return error("Kubernetes request failed while " + action + " at " + endpoint + ": "
                + (code > 0 ? "HTTP " + code + ", " : "") + describe(root) + "." + hint, e);
    }

    /** The message stands alone (the cause's own text is already in it); the cause stays for debugging. */
    private static AdapterException error(String message, Throwable cause) {
        AdapterException e = new AdapterException(message);
        e.initCause(cause);
        return e;
    }

    private static String serverMessage(RuntimeException e) {
        if (e instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
            return k.getStatus().getMessage();
        }
        return describe(rootCause(e));
    }

    static Throwable rootCause(Throwable e) {
        Throwable t = e;
        int depth = 0;
        while (t.getCause() != null && t.getCause() != t && depth++ < 20) t = t.getCause();
        return t;
    }

    private static boolean inChain(Throwable e, Class<? extends Throwable> type) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
            if (type.isInstance(t)) return true;
        }
        return false;
    }

    private static boolean mentions(Throwable t, String words) {
        String m = t.getMessage();
        return m != null && m.toLowerCase(Locale.ROOT).contains(words.toLowerCase(Locale.ROOT));
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }
}
