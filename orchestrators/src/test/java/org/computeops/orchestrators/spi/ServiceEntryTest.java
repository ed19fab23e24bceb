package org.computeops.orchestrators.spi;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceEntryTest {

    @Test
    void anEntryWithoutAddressIsRefused() {
        assertThatThrownBy(() -> new ServiceEntry("mesh", List.of(), true)).hasMessageContaining("at least one address");
        assertThatThrownBy(() -> new ServiceEntry(" ", List.of(URI.create("http://a:1")), true)).hasMessageContaining("description");
    }

    @Test
    void addressesAreCopied() {
        List<URI> addresses = new ArrayList<>(List.of(URI.create("http://a:1")));
        ServiceEntry entry = new ServiceEntry("per replica", addresses, false);
        addresses.add(URI.create("http://b:2"));
        assertThat(entry.addresses()).containsExactly(URI.create("http://a:1"));
    }
}
