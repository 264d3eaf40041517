module github.com/kubernetes-sigs/aws-ebs-csi-driver

go 1.24
