package io.liveshard.protocol.codec;

/** Receives NAL units found by {@link AnnexB#forEachAvccNal} as slices of the caller's array, without copies. */
@FunctionalInterface
public interface AvccNalConsumer {

    /** One NAL unit, header byte first, at {@code data[offset, offset + length)}; read only. */
    void accept(byte[] data, int offset, int length);
}
