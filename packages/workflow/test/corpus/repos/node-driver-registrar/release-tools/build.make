# Stands for kubernetes-csi's release-tools/build.make: build-<cmd> writes bin/<cmd><suffix>
# for each "os arch suffix" of BUILD_PLATFORMS; container-<cmd> runs docker build.
BUILD_PLATFORMS =
CMDS_DIR ?= cmd

$(CMDS:%=build-%): build-%:
	mkdir -p bin
	echo '$(BUILD_PLATFORMS)' | tr ';' '\n' | while read -r os arch suffix; do \
		(cd ./$(CMDS_DIR)/$* && GOOS="$$os" GOARCH="$$arch" go build -o "$(abspath ./bin)/$*$$suffix" .); \
	done

$(CMDS:%=container-%): container-%: build-%
	docker build -t $*:latest -f Dockerfile .

build: $(CMDS:%=build-%)
container: $(CMDS:%=container-%)
