package io.meshlake.bus;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.meshlake.contracts.ContractTypes;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.facsimile.v1.OffloadPointer;
import java.net.URI;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Gives a consumer the entity of an envelope, fetching an offloaded payload from its store and
 * verifying its size and SHA-256 before decoding it. Every failure names the pointer.
 */
public final class PayloadResolver {

  private final List<PayloadStore> stores;

  public PayloadResolver(PayloadStore... stores) {
    this.stores = List.of(stores);
  }

  /** The envelope's entity, or null when the envelope carries none (a bare tombstone). */
  public Message resolve(FacsimileRecord record) {
    try {
      return switch (record.getPayloadCase()) {
        case ENTITY -> ContractTypes.unpack(record.getEntity());
        case OFFLOAD_POINTER -> resolve(record.getOffloadPointer());
        case PAYLOAD_NOT_SET -> null;
      };
    } catch (InvalidProtocolBufferException e) {
      throw new PayloadResolutionException("entity of " + record.getResourceAri().getValue() + " does not decode: " + e.getMessage(), e);
    }
  }

  public Message resolve(OffloadPointer pointer) {
    byte[] bytes = fetch(pointer);
    Message prototype = ContractTypes.defaultInstance(ContractTypes.typeName(pointer.getTypeUrl()))
        .orElseThrow(() -> new PayloadResolutionException("offload pointer " + pointer.getUri()
            + ": unknown payload type '" + pointer.getTypeUrl() + "'"));
    try {
      return prototype.getParserForType().parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new PayloadResolutionException("offload pointer " + pointer.getUri() + ": payload is not a valid "
          + pointer.getTypeUrl() + ": " + e.getMessage(), e);
    }
  }

  /** The verified bytes behind the pointer. */
  public byte[] fetch(OffloadPointer pointer) {
    URI uri;
    try {
      uri = URI.create(pointer.getUri());
    } catch (IllegalArgumentException e) {
      throw new PayloadResolutionException("offload pointer '" + pointer.getUri() + "' is not a URI", e);
    }
    PayloadStore store = stores.stream().filter(s -> s.serves(uri)).findFirst()
        .orElseThrow(() -> new PayloadResolutionException("offload pointer " + uri + ": no configured payload store serves it"));
    byte[] bytes = store.get(uri);
    if (bytes.length != pointer.getSizeBytes()) {
      throw new PayloadResolutionException("offload pointer " + uri + ": size is " + bytes.length + " bytes, the pointer says "
          + pointer.getSizeBytes());
    }
    byte[] digest = ReplicationBusPublisher.sha256(bytes);
    if (!MessageDigest.isEqual(digest, pointer.getSha256().toByteArray())) {
      throw new PayloadResolutionException("offload pointer " + uri + ": SHA-256 is " + HexFormat.of().formatHex(digest)
          + ", the pointer says " + HexFormat.of().formatHex(pointer.getSha256().toByteArray()));
    }
    return bytes;
  }
}
