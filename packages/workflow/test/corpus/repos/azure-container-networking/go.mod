module github.com/Azure/azure-container-networking

go 1.26
