package io.toks.bench.energy;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Whether a server runs on this machine: only then does this machine's power include the
 * server's work, so only then is energy measured for it.
 */
public final class ServerLocation {

    private ServerLocation() {}

    /**
     * True for a loopback or wildcard address, or an address of one of this machine's network
     * interfaces; false for any other host, and for a name that does not resolve.
     */
    public static boolean onThisMachine(URI server) {
        String host = server.getHost();
        if (host == null) return false;
        try {
            InetAddress address = InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
            return address.isLoopbackAddress() || address.isAnyLocalAddress() || NetworkInterface.getByInetAddress(address) != null;
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
    }

    /** The one line a result states when the server is elsewhere. */
    public static String elsewhere(URI server) {
        return "the server at " + server.getHost() + " runs on another machine, whose power this machine cannot read";
    }
}
