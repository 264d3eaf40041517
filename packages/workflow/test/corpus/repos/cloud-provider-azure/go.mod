module sigs.k8s.io/cloud-provider-azure
