module sigs.k8s.io/azuredisk-csi-driver

go 1.24
