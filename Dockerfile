# policysearch: build with cgo (gojieba is C++), run as a non-root user on a
# slim image. The jieba dictionaries and the notice are embedded in the binary.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# cmd/policysearch/main_test.go runs this same build line and the binary it
# makes from an empty directory with no module cache.
RUN CGO_ENABLED=1 go build -trimpath -ldflags "-s -w" -o /out/policysearch ./cmd/policysearch

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libstdc++6 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --create-home --home-dir /var/lib/policysearch policysearch
COPY --from=build /out/policysearch /usr/local/bin/policysearch
USER policysearch
WORKDIR /var/lib/policysearch
ENV POLICYSEARCH_ADDR=0.0.0.0:8080 \
    POLICYSEARCH_DATA=/var/lib/policysearch/data
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/policysearch"]
CMD ["serve"]
