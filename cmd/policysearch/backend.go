package main

import (
	"fmt"
	"time"

	"policysearch/index"
)

// backendFlags choose where the clauses are indexed: bleve on this machine,
// or a Weaviate cluster (docs/SCALE.md).
type backendFlags struct {
	Backend             string        `default:"bleve" enum:"bleve,weaviate" env:"POLICYSEARCH_BACKEND" help:"Index engine: bleve (embedded, one machine) or weaviate (a cluster; see docs/SCALE.md)."`
	Weaviate            []string      `default:"http://127.0.0.1:28080" env:"POLICYSEARCH_WEAVIATE" help:"REST addresses of Weaviate nodes of one cluster, comma-separated; a call goes to the first that answers."`
	WeaviateGRPC        []string      `name:"weaviate-grpc" default:"127.0.0.1:50061" env:"POLICYSEARCH_WEAVIATE_GRPC" help:"The same nodes' gRPC addresses (host:port), in the same order."`
	WeaviateShards      int           `default:"3" env:"POLICYSEARCH_WEAVIATE_SHARDS" help:"Shards of each Weaviate class the index is built into."`
	WeaviateReplicas    int           `default:"3" env:"POLICYSEARCH_WEAVIATE_REPLICAS" help:"Copies of each shard, on as many nodes (asynchronous replication is on)."`
	WeaviateConsistency string        `default:"QUORUM" enum:"ONE,QUORUM,ALL" env:"POLICYSEARCH_WEAVIATE_CONSISTENCY" help:"Replicas that must have a write before a document is acknowledged, and that answer a read: ONE, QUORUM or ALL."`
	WeaviatePrefix      string        `default:"Policysearch" env:"POLICYSEARCH_WEAVIATE_PREFIX" help:"Beginning of the classes' names: servers sharing a cluster need different ones."`
	WeaviatePage        int           `default:"10000" env:"POLICYSEARCH_WEAVIATE_PAGE" help:"Clauses one query reads, at most the cluster's QUERY_MAXIMUM_RESULTS."`
	WeaviateTimeout     time.Duration `default:"30s" env:"POLICYSEARCH_WEAVIATE_TIMEOUT" help:"Time limit of each call to the cluster."`
	WeaviateCacheMB     int           `name:"weaviate-cache-mb" default:"64" env:"POLICYSEARCH_WEAVIATE_CACHE_MB" help:"Sets of clauses read from the cluster kept per index for the next searches, in MB; 0 keeps none."`
}

// weaviate is the cluster to index into, nil for bleve.
func (f backendFlags) weaviate() (*index.Weaviate, error) {
	if f.Backend != "weaviate" {
		return nil, nil
	}
	w := &index.Weaviate{URLs: f.Weaviate, GRPC: f.WeaviateGRPC, Shards: f.WeaviateShards, Replicas: f.WeaviateReplicas,
		Consistency: f.WeaviateConsistency, Prefix: f.WeaviatePrefix, Page: f.WeaviatePage, Timeout: f.WeaviateTimeout,
		CacheBytes: f.WeaviateCacheMB << 20}
	if err := w.Check(); err != nil {
		return nil, fmt.Errorf("--weaviate…: %w", err)
	}
	return w, nil
}
