package io.meshlake.router;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * An event's value on its way to the sink, with the topic it goes to. The router decides the topic
 * per event (a region's topic or the DLQ), also for held events released by a punctuator, where no
 * source topic is at hand; the sink writes only the original bytes.
 */
record RoutedValue(String topic, byte[] value) {

  static final Serializer<RoutedValue> SERIALIZER = (topic, routed) -> routed == null ? null : routed.value();

  static final TopicNameExtractor<byte[], RoutedValue> TOPIC = (key, routed, context) -> routed.topic();
}
