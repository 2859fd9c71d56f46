package io.meshlake.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.meshlake.bus.PayloadResolver;
import io.meshlake.contracts.ContractTypes;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.manifest.EntityCatalog;
import io.meshlake.contracts.manifest.EntityManifest;
import io.meshlake.contracts.registry.SchemaRegistryClient;
import io.meshlake.contracts.wire.ProtobufDecoder;
import io.meshlake.contracts.wire.ProtobufEncoder;
import io.meshlake.registry.RegistryConfig;
import io.meshlake.registry.SchemaRegistryServer;
import io.meshlake.sink.writer.AppendBatchWriter;
import io.meshlake.sink.writer.EventDecoder;
import io.meshlake.sink.writer.OwnedTable;
import io.meshlake.sink.writer.RawTableLayout;
import io.meshlake.sink.writer.SinkEvent;
import io.meshlake.sink.writer.WriterSettings;
import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.storage.LocalTableStore;
import io.meshlake.testkit.KafkaTestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;

/**
 * The raw append path alone, on one thread, without Kafka or Connect: the change stream's framed
 * envelopes (generated in memory) decoded as the sink decodes them, turned into raw rows and written
 * into a raw table's files in 50,000-event batches per partition, against the baseline's decoding of
 * the same envelopes in the same run. It isolates the writer's CPU per event from the broker, the
 * consumer and the machine's other load, so a change to the write path can be compared in seconds;
 * the end-to-end figures stay those of {@link BenchMain}.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.meshlake.bench.WriterBench [events] [rounds] [new directory]}; the directory is deleted afterwards
 */
public final class WriterBench {

  private static final int PARTITIONS = 4;
  private static final int BATCH = 50_000;
  private static final String TOPIC = "facsimile.jira";

  public static void main(String[] args) throws Exception {
    int events;
    int rounds;
    try {
      events = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
      rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    } catch (NumberFormatException e) {
      events = -1;
      rounds = -1;
    }
    if (events < 1 || rounds < 1 || args.length > 3) {
      System.err.println("usage: WriterBench [events > 0] [rounds > 0] [new directory]");
      System.exit(2);
      return;
    }
    // The directory is deleted afterwards, so it must be the run's own.
    if (args.length > 2 && Files.exists(Path.of(args[2]))) {
      System.err.println("WriterBench: " + args[2] + " exists; give a new directory (it is deleted afterwards)");
      System.exit(2);
      return;
    }
    Path dir = args.length > 2 ? Files.createDirectories(Path.of(args[2])) : Files.createTempDirectory("writer-bench");
    try (KafkaTestCluster kafka = KafkaTestCluster.builder().name("writer-bench").baseDirectory(dir.resolve("kafka")).start();
        SchemaRegistryServer registry = SchemaRegistryServer.start(RegistryConfig.builder()
            .bootstrapServers(kafka.bootstrapServers()).topic("_schemas").listenPort(0).listenHost("127.0.0.1").build())) {
      List<List<byte[]>> partitions = generate(events, new ProtobufEncoder(new SchemaRegistryClient(registry.url())));
      EntityCatalog catalog = EntityCatalog.load();
      ProtobufDecoder<FacsimileRecord> envelopeDecoder = new ProtobufDecoder<>(new SchemaRegistryClient(registry.url()),
          FacsimileRecord.getDefaultInstance());
      EntityManifest manifest = catalog.byEntity(WorkloadGenerator.ENTITY).orElseThrow();
      RawTableLayout layout = new RawTableLayout(manifest);
      // As the Append sink decodes: entities straight into the raw table's columns.
      EventDecoder decoder = new EventDecoder(new ProtobufDecoder<>(new SchemaRegistryClient(registry.url()),
          FacsimileRecord.getDefaultInstance()), catalog, new PayloadResolver(), Map.of(manifest.entityType(), layout));
      for (int round = 1; round <= rounds; round++) {
        double baseline = timeBaseline(partitions, envelopeDecoder);
        double decode = timeDecode(partitions, decoder);
        double append = timeAppend(partitions, decoder, manifest, layout, dir.resolve("lake-" + round));
        PipelineHarness.deleteTree(dir.resolve("lake-" + round));
        Progress.say("round %d: baseline decode %.2f µs/event, sink decode %.2f µs/event, raw append %.2f µs/event"
            + " (%.3f × baseline)", round, baseline, decode, append, baseline / append);
      }
    } finally {
      PipelineHarness.deleteTree(dir);
    }
  }

  /** The change stream after a small initial load, framed and split by key as the producer partitions it. */
  private static List<List<byte[]>> generate(int events, ProtobufEncoder encoder) {
    WorkloadGenerator generator = new WorkloadGenerator(10_000);
    Iterator<WorkloadEvent> initial = generator.initialLoad();
    while (initial.hasNext()) {
      initial.next();
    }
    List<List<byte[]>> partitions = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      partitions.add(new ArrayList<>());
    }
    Progress progress = Progress.start("generate", events, "events");
    Iterator<WorkloadEvent> changes = generator.changes(events);
    int n = 0;
    while (changes.hasNext()) {
      WorkloadEvent e = changes.next();
      int p = Utils.toPositive(Utils.murmur2(e.key().getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
      partitions.get(p).add(encoder.encode(TOPIC, e.envelope()));
      if (++n % 10_000 == 0) {
        progress.update(n);
      }
    }
    progress.done(n);
    return partitions;
  }

  private static long count(List<List<byte[]>> partitions) {
    return partitions.stream().mapToLong(List::size).sum();
  }

  private static double timeBaseline(List<List<byte[]>> partitions, ProtobufDecoder<FacsimileRecord> decoder)
      throws InvalidProtocolBufferException {
    long started = System.nanoTime();
    long checksum = 0;
    for (List<byte[]> partition : partitions) {
      for (byte[] value : partition) {
        FacsimileRecord envelope = decoder.decode(value).message();
        checksum += ContractTypes.unpack(envelope.getEntity()).getSerializedSize() + envelope.getVersion();
      }
    }
    return perEvent(started, partitions, checksum);
  }

  private static double timeDecode(List<List<byte[]>> partitions, EventDecoder decoder) {
    long started = System.nanoTime();
    long checksum = 0;
    for (int p = 0; p < partitions.size(); p++) {
      List<byte[]> partition = partitions.get(p);
      for (int i = 0; i < partition.size(); i++) {
        checksum += decoder.decode(partition.get(i), TOPIC, p, i, 0L).version();
      }
    }
    return perEvent(started, partitions, checksum);
  }

  /** Each partition in 50,000-event batches, interleaved across partitions as a task's polls interleave them. */
  private static double timeAppend(List<List<byte[]>> partitions, EventDecoder decoder, EntityManifest manifest,
      RawTableLayout layout, Path lake) {
    LocalTableStore store = new LocalTableStore(lake);
    DeltaTable table = DeltaTable.openOrCreate(store, RawTableLayout.tableName(manifest), layout.layout().schema(),
        layout.layout().partitionColumns(), DeltaTable.defaultProperties(100));
    WriterSettings settings = new WriterSettings(128L << 20, 64L << 20, 5, Duration.ofMillis(100), 1_000_000);
    long started = System.nanoTime();
    for (int p = 0; p < partitions.size(); p++) {
      OwnedTable owned = new OwnedTable(table, "writer-bench/" + p, Map.of(), false, 5, Duration.ofMillis(100));
      AppendBatchWriter writer = new AppendBatchWriter(Map.of(manifest.entityType(), layout),
          Map.of(manifest.entityType(), owned), p, settings);
      List<byte[]> partition = partitions.get(p);
      for (int i = 0; i < partition.size(); i++) {
        SinkEvent event = decoder.decode(partition.get(i), TOPIC, p, i, 0L);
        writer.add(event);
        if ((i + 1) % BATCH == 0 || i == partition.size() - 1) {
          writer.commit(i);
        }
      }
    }
    return perEvent(started, partitions, 0);
  }

  private static double perEvent(long startedNanos, List<List<byte[]>> partitions, long checksum) {
    long nanos = System.nanoTime() - startedNanos;
    if (checksum == 42) {
      Progress.say("(checksum %d keeps the work from being optimized away)", checksum);
    }
    return nanos / 1000.0 / count(partitions);
  }
}
