# Layout of kubernetes-sigs/azuredisk-csi-driver's
# pkg/azurediskplugin/WindowsHostProcess.Dockerfile: a HostProcess image of the same binary.
FROM mcr.microsoft.com/oss/kubernetes/windows-host-process-containers-base-image:v1.0.0

ARG ARCH=amd64
ARG binary=./_output/${ARCH}/azurediskplugin.exe
COPY ${binary} /azurediskplugin.exe
ENV PATH="C:\Windows\system32;C:\Windows;C:\WINDOWS\System32\WindowsPowerShell\v1.0\;"
USER ContainerAdministrator
ENTRYPOINT ["/azurediskplugin.exe"]
