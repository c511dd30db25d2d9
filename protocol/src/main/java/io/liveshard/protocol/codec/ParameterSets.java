package io.liveshard.protocol.codec;

import java.util.Arrays;
import java.util.List;

/** Content equality for lists of parameter set NAL units, which records would otherwise compare by identity. */
final class ParameterSets {

    private ParameterSets() {
    }

    static boolean sameContent(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    static int contentHash(List<byte[]> sets) {
        int hash = 1;
        for (byte[] nal : sets) {
            hash = 31 * hash + Arrays.hashCode(nal);
        }
        return hash;
    }
}
